"""Two students at once: two browser contexts (two sessions) never see each other's state.

A steps, B plays at the same time, and each page's step counter, cost and configuration stay
its own. The expected costs come from the engine: a session that shared a network, data set or
history with the other would show a different C after its own n steps.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import new_context, new_page
from ui.config import from_query
from ui.experiment import Experiment

pytestmark = pytest.mark.browser

LINK_A = "?dataset=spiral&seed=1"  # default network 2-4-2-1
LINK_B = "?dataset=gauss&hidden=3"  # one hidden layer of 3
VIEWPORT = {"width": 1400, "height": 900}
METRICS = "[data-testid='pg-metric']"


def expected_costs(link: str, steps: int) -> list[str]:
    """The 'C (training)' text after 0, 1, …, steps steps of a fresh session on `link`."""
    query = {k: v[0] for k, v in parse_qs(link.lstrip("?")).items()}
    config, notices = from_query(query)
    assert notices == [], notices
    exp = Experiment(config)
    out = []
    for _ in range(steps + 1):
        out.append(format(exp.trainer.metrics["cost_train"], ".4f"))
        exp.step(1)
    return out


def metric(page, label: str) -> str:
    box = page.locator(METRICS, has_text=label).first
    return box.locator(".pg-value").inner_text().strip()


def step_count(page) -> int:
    return int(metric(page, "Step").replace(",", ""))


def wait_step(page, n: int, *, at_least: bool = False, timeout: float = 30_000) -> None:
    """Wait until the Step metric shows n (or ≥ n)."""
    page.wait_for_function(
        """([n, atLeast]) => {
             const m = [...document.querySelectorAll("[data-testid='pg-metric']")]
               .find(e => e.innerText.trim().startsWith('Step'));
             if (!m) return false;
             const v = parseInt(m.innerText.trim().split('\\n').pop().replace(/,/g, ''));
             return atLeast ? v >= n : v === n;
           }""",
        arg=[n, at_least],
        timeout=timeout,
    )


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def hidden_layers(page) -> str:
    slider = page.locator("[data-testid='stSlider']", has_text="Hidden layers").first
    return slider.locator("input[type='range']").input_value()


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


@pytest.fixture
def two_pages(browser):
    contexts = [new_context(browser, viewport=VIEWPORT) for _ in range(2)]
    pages = [new_page(c) for c in contexts]
    yield pages
    for c in contexts:
        c.close()


def test_two_sessions_training_at_once_never_share_state(
    two_pages, open_app, wait_ready, wait_paused
):
    a, b = two_pages
    open_app(a, LINK_A)
    open_app(b, LINK_B)
    wait_step(a, 0)
    wait_step(b, 0)
    costs_a = expected_costs(LINK_A, 6)
    cost_b0 = metric(b, "C (training)")
    assert metric(a, "C (training)") == costs_a[0]
    assert cost_b0 == expected_costs(LINK_B, 0)[0] != costs_a[0]

    # A steps three times; B, untouched, stays at step 0
    for n in (1, 2, 3):
        click(a, "Step")
        wait_step(a, n)
    assert metric(a, "C (training)") == costs_a[3]
    assert step_count(b) == 0 and metric(b, "C (training)") == cost_b0

    # B plays; while it plays, A steps once more and moves by exactly one of its own steps
    click(b, "Play")
    wait_step(b, 5, at_least=True)
    click(a, "Step")
    wait_step(a, 4)
    assert metric(a, "C (training)") == costs_a[4]
    wait_step(b, step_count(b) + 2, at_least=True, timeout=15_000)  # B still playing
    click(b, "Pause")
    b.get_by_role("button", name="Play", exact=True).wait_for()
    wait_paused(b)
    b_steps = step_count(b)
    b.wait_for_timeout(500)  # paused: ten ticks of Play's timer, none may step B
    wait_ready(b)
    assert step_count(b) == b_steps
    assert metric(b, "C (training)") == expected_costs(LINK_B, b_steps)[b_steps]
    assert step_count(a) == 4  # B's Play never touched A's page

    # each session kept its own configuration: link and sidebar
    qa, qb = query_of(a), query_of(b)
    assert qa.get("dataset") == ["spiral"] and qa.get("seed") == ["1"] and "hidden" not in qa
    assert qb.get("dataset") == ["gauss"] and qb.get("hidden") == ["3"] and "seed" not in qb
    assert hidden_layers(a) == "2" and hidden_layers(b) == "1"

    # a reload starts a fresh session on the page's own link; the other session is unaffected
    b.reload(wait_until="domcontentloaded")
    wait_ready(b)
    wait_step(b, 0)
    assert re.search(r"dataset=gauss", b.url) and re.search(r"hidden=3", b.url)
    assert metric(b, "C (training)") == cost_b0 and hidden_layers(b) == "1"
    click(a, "Step")
    wait_step(a, 5)
    assert metric(a, "C (training)") == costs_a[5]
    assert re.search(r"dataset=spiral", a.url) and "hidden" not in query_of(a)
