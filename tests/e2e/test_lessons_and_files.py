"""Lessons and own data in a real browser: open a lesson, upload points, download files."""

from __future__ import annotations

import json

import pytest

from benchmarks.browser_frames import wait_paused, wait_ready
from playground.csv_io import dataset_to_csv
from playground.datasets import make_dataset

pytestmark = pytest.mark.browser


def wait_charts(page, n: int = 4) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}", timeout=30_000
    )


def metric_text(page, label: str) -> str:
    box = page.locator("[data-testid='pg-metric']", has_text=label).first
    return box.locator(".pg-value").inner_text()


def test_a_lesson_opens_in_the_playground(page, open_app, screenshot):
    open_app(page, "lessons")
    dialog = page.get_by_role("dialog")
    if dialog.count():  # streamlit#9992: a direct page link on a fresh server
        page.keyboard.press("Escape")
    page.get_by_role("button", name="Open in the Playground").nth(1).click()  # vanishing
    page.get_by_text("Vanishing gradients in a deep sigmoid network").first.wait_for(timeout=30_000)
    wait_charts(page)
    assert "lesson=vanishing" in page.url
    screenshot(page, "lesson_vanishing")


def test_uploading_points_trains_on_them(page, open_app, tmp_path, screenshot):
    open_app(page)
    wait_charts(page)
    ds = make_dataset("gauss", n_points=40, seed=2)
    path = tmp_path / "points.csv"
    path.write_text(dataset_to_csv(ds))
    page.get_by_text("Your own data and models").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(path)
    page.get_by_text("Training on your 40 points").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => m.innerText.startsWith('Points') && m.innerText.includes('20 / 20'))",
        timeout=30_000,
    )
    screenshot(page, "playground_uploaded_points")


def test_a_bad_upload_is_explained(page, open_app, tmp_path):
    open_app(page)
    wait_charts(page)
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,label\n1,2,0\n3,oops,1\n")
    page.get_by_text("Your own data and models").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(path)
    page.get_by_text("That file was not used").wait_for(timeout=30_000)
    assert "line 3" in page.locator("[data-testid='stAlert']").all_inner_texts()[-1]
    assert metric_text(page, "Points") == "250 / 250"


def test_the_network_downloads_as_json(page, open_app):
    open_app(page)
    wait_charts(page)
    page.get_by_text("Your own data and models").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the network (JSON)").click()
    doc = json.loads(open(info.value.path()).read())
    assert doc["format"] == "nn-playground/network" and doc["sizes"] == [2, 4, 2, 1]


def step_count(page) -> int:
    return int(metric_text(page, "Step").replace(",", ""))


def test_every_lesson_link_steps_and_plays_without_an_error(page, open_app, console_errors):
    """Issue 10: four lessons broke within a minute of Play ("Something went wrong" where the
    numbers were), and the α-too-large lesson on its 5th Step."""
    from urllib.parse import urlencode

    from ui.lessons import LESSONS, lesson_query

    for key, lesson in LESSONS.items():
        open_app(page, "?" + urlencode(lesson_query(lesson)))
        wait_charts(page)
        for n in range(1, 6):  # Step, as fast as the page answers (α too large: 5th diverges)
            page.get_by_role("button", name="Step", exact=True).click()
            page.wait_for_function(
                "([n]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
                ".some(m => m.innerText.startsWith('Step') && "
                "parseInt(m.innerText.split('\\n').pop().replace(/,/g, '')) >= n)"
                " || document.body.innerText.includes('Training diverged')",
                arg=[n],
                timeout=30_000,
            )
        wait_ready(page)  # a divergence's full run disables Play after its message shows
        play = page.get_by_role("button", name="Play", exact=True)
        if play.is_enabled():
            before = step_count(page)
            play.click()
            page.wait_for_function(  # Play's first frames have come (how soon: the machine's)
                "(n) => Number(document.querySelector(\"[data-label='Step'] .pg-value\")"
                ".innerText.replace(/,/g, '')) > n",
                arg=before,
                timeout=30_000,
            )
            page.wait_for_timeout(1500)  # Play runs on: a fixed time is what is being tested
            page.get_by_role("button", name="Pause", exact=True).click()
            wait_paused(page)
            assert step_count(page) > before or "Training diverged" in page.inner_text("body")
        text = page.inner_text("body")
        assert "Something went wrong" not in text, key
        assert page.locator("[data-testid='stException']").count() == 0, key
        assert metric_text(page, "C (training)") not in ("", "—"), key
    assert console_errors == []
