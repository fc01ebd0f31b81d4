"""Shared test helpers: named tolerances and a gradient comparison that prints both values."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Central differences with ε = 1e-6 carry an error of about ε² ≈ 1e-12 from truncation and
# C·1e-16/ε ≈ 1e-10 from rounding, so 1e-7 absolute plus 1e-5 relative is a safe margin that
# still catches any wrong term (a wrong sign or a missing σ' is off by far more).
GRAD_ATOL = 1e-7
GRAD_RTOL = 1e-5


def assert_gradients_match(rows):
    bad = [r for r in rows if abs(r.analytic - r.numeric) > GRAD_ATOL + GRAD_RTOL * abs(r.numeric)]
    assert not bad, "backprop disagrees with finite differences:\n" + "\n".join(
        f"  {r.name}: analytic {r.analytic:.10g}  numeric {r.numeric:.10g}" for r in bad
    )


ALPHA = 0.7  # the learning rate of the backprop page's tests


def lab_for(network: str, example: int | None, **kw):
    """The backprop page's Lab on ``network`` with one example chosen (None: the batch)."""
    from ui.lecture.backprop import Lab, build_problem

    lab = Lab(build_problem(network, **kw))
    lab.select(example)
    return lab


def batch(k, n, *, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, (k, n))


def page_numbers(at) -> dict[str, str]:
    """The Playground's numbers (tiles in the HTML its live feed shows) as {label: value}."""
    import html
    import re

    from ui.web.live_chart import feed_html

    tile = re.compile(
        r'data-label="([^"]*)"><div class="pg-label">[^<]*</div><div class="pg-value">([^<]*)<'
    )
    return {
        html.unescape(label): html.unescape(value)
        for element in at.get("bidi_component")
        if element.proto.component_name.endswith("live_feed")
        for label, value in tile.findall(feed_html(element.proto.bytes) or "")
    }


def page_feed_html(at) -> str:
    """All the HTML the Playground's live feed shows now (numbers and tables)."""
    from ui.web.live_chart import feed_html

    return "".join(
        feed_html(element.proto.bytes) or ""
        for element in at.get("bidi_component")
        if element.proto.component_name.endswith("live_feed")
    )


def run_async(coro):
    """asyncio.run in a thread of its own: once a browser test has run, Playwright's sync API
    keeps an event loop running in the main thread for the rest of the session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def shown_text(markdown: str) -> str:
    """What Streamlit shows for Markdown that ``ui.user_text.literal`` escaped: the characters
    without their backslashes (tests compare messages with what a student reads)."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
