"""A hostile student in a real browser: seeded random sequences of what students do on the
Playground (and, briefly, the lecture pages), with what a student must always see checked after
every action.

tests/test_student_model.py drives the same app through Streamlit's AppTest, which runs no
browser, no timers and no websocket: it cannot see a click delivered while a Play run is in
flight, a keyboard shortcut, a message appearing during a fragment run, or frames still queued
in the browser. Here every action is a real click, key press or navigation in headless
Chromium. The actions: Step, Play, Pause, Reset (buttons and the keys s, p, r), a sidebar
control changed while playing or paused (extremes included), a typed weight seed, the diagram's
weights/gradients view, a slow-motion Step, a click on the diagram and its editor (set or
cancel), points drawn on the plane, a lesson opened from the Lessons page or by its link,
reload, a hostile query string, a divergence, a lecture page and back.

After each action, once the app is idle (``wait_ready``; ``wait_paused`` when paused):
- no exception element, no "Something went wrong", no console error;
- every number of the metrics row is finite and short, or a dash;
- Play reads "Play" when paused, and is enabled exactly when no divergence is shown;
- paused, the step counter does not move for a second;
- the four live charts exist once each and were never remounted (``__liveChart.created``
  stays as it was since the page was loaded);
- a reload shows the same configuration: the same query string, the same sidebar;
- a lecture page and back: the Playground keeps its configuration.

Bounded for CI: each seed plays up to ACTIONS actions, none begun after BUDGET_S seconds (a
busy machine plays a shorter prefix of the same sequence). The sequence is a function of the
seed (an action draws its parameters before it looks at the page), the timing aside; a failure
names its seed and prints the actions so far, each with its time, and the page's state:
    STUDENT_BROWSER_SEEDS=7 STUDENT_BROWSER_BUDGET_S=600 \
        python -m pytest tests/e2e/test_student_in_browser.py -q -s
"""

from __future__ import annotations

import math
import os
import random
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from benchmarks import browser_frames as bf
from ui.lessons import LESSONS

pytestmark = pytest.mark.browser

SEEDS = tuple(int(s) for s in os.environ.get("STUDENT_BROWSER_SEEDS", "1,2,3").split(","))
ACTIONS = int(os.environ.get("STUDENT_BROWSER_ACTIONS", "30"))
#: Seconds of actions per seed: a busy machine plays fewer of them (the log says how many).
BUDGET_S = float(os.environ.get("STUDENT_BROWSER_BUDGET_S", "35"))
LIVE = ("boundary", "network", "cost", "delta")
TIMEOUT = 30_000
STILL_S = 1.0  # paused: the counter must not move over this long

#: The live feed's last message: every run of the Playground sends one (a full run redraws the
#: fragment too), so "the action's run has reached the browser" is this number growing.
FEED_SEQ_JS = "Number(document.querySelector('[data-live-feed-key]')?.dataset.seq ?? -1)"

METRICS_JS = """() => [...document.querySelectorAll("[data-testid='pg-metric']")]
    .map(m => [m.dataset.label, m.querySelector('.pg-value')?.innerText ?? null])"""

STEP_JS = """() => { const v = document.querySelector(
    "[data-testid='pg-metric'][data-label='Step'] .pg-value");
    return v ? Number(v.innerText.replace(/,/g, '')) : null }"""

#: What the sidebar shows: each keyed control's text and its inputs' values.
SIDEBAR_JS = """() => Object.fromEntries(
  [...document.querySelectorAll("[data-testid='stSidebar'] [class*='st-key-c_']")].map(e => {
    const key = [...e.classList].find(c => c.startsWith('st-key-')).slice(7);
    const inputs = [...e.querySelectorAll('input')]
      .map(i => i.type === 'checkbox' ? String(i.checked) : i.value);
    const sliders = [...e.querySelectorAll('[role=slider]')]
      .map(s => s.getAttribute('aria-valuetext') ?? s.getAttribute('aria-valuenow'));
    return [key, [e.innerText.trim(), ...inputs, ...sliders].join(' | ')];
  }))"""

DIVERGED_JS = """[...document.querySelectorAll("[data-testid='stAlert']")]
    .some(a => a.innerText.includes('Training diverged'))"""

#: The editor's dialog refused the value typed (it stays open and says why).
REFUSED_JS = """[...document.querySelectorAll("[role='dialog']")]
    .some(d => d.innerText.includes('Not set'))"""

#: Before a click on the diagram: ``__pgPick.picked`` becomes "sent" when plotly reports a click
#: on a mark, which the chart sends to the server as its "pick" (static/live_chart.js), and
#: ``__pgPick.clicked`` once the click has been handled (plotly handles it on mouseup, before
#: the click event).
PICK_PROBE_JS = """() => {
    const probe = (window.__pgPick = { clicked: false, picked: "none" });
    const div = document.querySelector("[data-live-chart-key='network']");
    if (!div.__pgPickProbe) {
        div.__pgPickProbe = true;
        div.on("plotly_click", (event) => {
            if (event?.points?.[0] && window.__liveChart?.charts?.network?.picks) {
                window.__pgPick.picked = "sent";
            }
        });
    }
    document.addEventListener("click", () => setTimeout(() => { probe.clicked = true; }),
                              { capture: true, once: true });
}"""

HOSTILE_QUERIES = (
    {"lr": "nan", "hidden": "4,99", "points": "-5"},
    {"dataset": "[Log in](https://evil.example)", "act": r"$\Huge{x}$", "seed": "1e999"},
    {"hidden": ",".join(["12"] * 8), "points": "2000", "noise": "50"},
    {"lesson": "../../etc/passwd", "present": "maybe", "hide": "<b>all</b>"},
    {"dataset": "spiral", "classes": "99", "out": "softmax", "lr": "1e308"},
    {"features": "x1,x1,nope," * 30, "batch": "-1", "speed": "100000"},
)
SEEDS_TYPED = ("0", "7", "2147483647", "123456", "42")
EDIT_VALUES = ("0.5", "-100", "100", "1e-9", "−2", "nan", "x", "101")
LECTURE_PAGES = ("neuron", "xor", "backprop")


class Student:
    def __init__(self, page, base: str, rng: random.Random, console: list[str]) -> None:
        self.page, self.base, self.rng, self.console = page, base.rstrip("/"), rng, console
        self.log: list[str] = []
        self.created: dict[str, int] | None = None  # the charts' divs since the last load
        self.drawn = False  # points drawn: the data is the student's own, not in a link

    # ------------------------------------------------------------------ reading the page
    def button(self, label: str):
        return bf.button(self.page, label)

    def playing(self) -> bool:
        return self.button("Pause").count() > 0

    def diverged(self) -> bool:
        return self.page.get_by_text("Training diverged", exact=False).count() > 0

    def steps(self) -> int | None:
        return self.page.evaluate(STEP_JS)

    def runs(self) -> int:
        """The number of the feed's last message (a run's)."""
        return self.page.evaluate(f"() => {FEED_SEQ_JS}")

    def wait_runs(self, before: int) -> None:
        """Wait until a run after ``before`` (``runs()``) has reached the browser, then idle."""
        self.page.wait_for_function(f"(n) => {FEED_SEQ_JS} > n", arg=before, timeout=TIMEOUT)
        bf.wait_ready(self.page)

    def wait_live(self) -> None:
        self.page.wait_for_function(
            "() => document.querySelectorAll('[data-live-chart-key] .main-svg').length >= 4",
            timeout=TIMEOUT,
        )

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def path(self) -> str:
        return urlsplit(self.page.url).path.strip("/")

    def sidebar(self) -> dict[str, str]:
        return self.page.evaluate(SIDEBAR_JS)

    def blur(self) -> None:
        """Focus on the page, in no field (where a key is a shortcut)."""
        self.page.locator("h1").first.click()

    # ------------------------------------------------------------------ navigation
    def goto(self, query: str = "", path: str = "") -> None:
        self.page.goto(f"{self.base}/{path}{query}", wait_until="domcontentloaded")
        bf.wait_ready(self.page)
        dialog = self.page.get_by_role("dialog")
        if dialog.count() and "does not seem to exist" in dialog.inner_text():
            self.page.keyboard.press("Escape")  # streamlit#9992: a deep link on a new server
        if not path:
            self.wait_live()
            self.loaded()

    def loaded(self) -> None:
        """A new page: the charts' divs were created once each, from now on never again."""
        bf.wait_ready(self.page)
        self.created = self.page.evaluate("() => ({...(window.__liveChart?.created ?? {})})")
        if self.button("Pause").count() == 0:
            bf.wait_paused(self.page)

    # ------------------------------------------------------------------ actions
    def act(self, n: int, budget_s: float = math.inf) -> None:
        """Up to ``n`` actions, none begun after ``budget_s`` seconds."""
        deadline = time.monotonic() + budget_s
        actions = [
            (self.step, 14),
            (self.key_step, 6),
            (self.play, 10),
            (self.key_play_pause, 6),
            (self.pause, 8),
            (self.reset, 5),
            (self.key_reset, 3),
            (self.control, 16),
            (self.type_seed, 3),
            (self.switch_view, 3),
            (self.slow_step, 3),
            (self.edit, 5),
            (self.draw, 4),
            (self.lesson, 2),
            (self.lesson_link, 2),
            (self.reload, 3),
            (self.hostile, 2),
            (self.diverge, 3),
            (self.lecture_page, 2),
        ]
        for i in range(n):
            if time.monotonic() > deadline:
                self.log.append(f"(time is up after {i} actions)")
                return
            action = self.rng.choices([a for a, _ in actions], [w for _, w in actions])[0]
            self.log.append(f"{i + 1}. {action.__name__}")
            t0 = time.monotonic()
            action()
            self.check()
            self.note(f"[{time.monotonic() - t0:.1f} s]")

    def note(self, text: str) -> None:
        self.log[-1] += f" {text}"

    def press(self, shortcut: str | None, label: str) -> None:
        """The page's keyboard shortcut (focus off any field first), or its button."""
        if shortcut:
            self.blur()
            self.page.keyboard.press(shortcut)
        else:
            self.button(label).click()

    def step(self, *, key: bool = False) -> None:
        before_seq = self.runs()
        before = self.steps()
        playing, diverged = self.playing(), self.diverged()
        self.note(f"({'playing' if playing else 'paused'}{', diverged' if diverged else ''})")
        self.press("s" if key else None, "Step")
        # the fragment's run reaches the browser as a new feed message
        self.page.wait_for_function(f"(n) => {FEED_SEQ_JS} > n", arg=before_seq, timeout=TIMEOUT)
        if not playing and not diverged:  # one step more, or the divergence it ran into
            self.page.wait_for_function(
                f"""(n) => (({STEP_JS})() > n || {DIVERGED_JS})
                    && !document.querySelector("[data-testid='pg-phase']")""",
                arg=before,
                timeout=TIMEOUT,
            )
        bf.wait_ready(self.page)

    def key_step(self) -> None:
        self.step(key=True)

    def play(self, *, key: bool = False) -> None:
        if self.playing():
            self.note("(already playing: Step instead)")
            return self.step(key=key)
        if self.diverged():
            self.note("(diverged: Play disabled)")
            if key:  # the shortcut must do nothing either
                before = self.steps()
                self.blur()
                self.page.keyboard.press("p")
                self.still(before)
            return None
        before = self.steps()
        self.press("p" if key else None, "Play")
        # playing: the button says Pause and the counter moves (unless it diverges at once)
        self.page.wait_for_function(
            f"""(n) => [...document.querySelectorAll('button')].some(b => b.innerText.trim()
                === 'Pause') && ({STEP_JS})() > n
                || {DIVERGED_JS}""",
            arg=before,
            timeout=TIMEOUT,
        )
        bf.wait_ready(self.page)
        return None

    def key_play_pause(self) -> None:
        if self.playing():
            self.pause(key=True)
        else:
            self.play(key=True)

    def pause(self, *, key: bool = False) -> None:
        if not self.playing():  # a Pause at once after Play: its frames are still in flight
            self.note("(paused: Play first)")
            self.play(key=key)
            if not self.playing():
                return
        self.press("p" if key else None, "Pause")
        self.button("Play").wait_for(timeout=TIMEOUT)
        bf.wait_paused(self.page)

    def reset(self, *, key: bool = False) -> None:
        playing = self.playing()
        before = self.runs()
        self.press("r" if key else None, "Reset")
        self.page.wait_for_function(f"(n) => {FEED_SEQ_JS} > n", arg=before, timeout=TIMEOUT)
        if not playing:
            self.page.wait_for_function(f"() => ({STEP_JS})() === 0", timeout=TIMEOUT)
        bf.wait_ready(self.page)

    def key_reset(self) -> None:
        self.reset(key=True)

    # a sidebar control: (label, kind, choices); a slider's choice is a key to press
    CONTROLS = (
        ("Data set", "select", ("circle", "xor", "gauss", "spiral", "plane", "sine_1d")),
        ("Classes K", "slider", ("End", "Home", "ArrowRight")),
        ("Number of points", "slider", ("Home", "End", "PageUp", "PageDown", "ArrowRight")),
        ("Noise (%)", "slider", ("Home", "End", "PageUp")),
        ("Learning rate α", "slider", ("Home", "End", "ArrowRight", "ArrowLeft")),
        ("Hidden activation σ", "select", ("sigmoid", "tanh", "ReLU", "linear", "sign")),
        ("Hidden layers", "slider", ("Home", "End", "ArrowRight", "ArrowLeft")),
        ("(layer 2)", "number", ("1", "12", "3")),
        ("Input features", "features", ("²", "sin", "x₁x₂", "remove")),
        ("Batch size", "slider", ("Home", "End", "ArrowLeft")),
        ("Speed", "slider", ("Home", "End")),
        ("Output activation", "select", ("sigmoid", "tanh", "linear", "softmax")),
    )

    def control(self, label: str | None = None, value: str | None = None) -> None:
        if label is None:
            label, kind, options = self.rng.choice(self.CONTROLS)
            value = self.rng.choice(options)
        else:
            kind = next(k for name, k, _ in self.CONTROLS if name == label)
        self.note(f"{label!r} {value!r} ({'playing' if self.playing() else 'paused'})")
        sidebar = self.page.locator("[data-testid='stSidebar']")
        before_url, before_runs = self.page.url, self.runs()
        if kind == "select":
            box = sidebar.locator("[data-testid='stSelectbox']", has_text=label)
            if box.count() == 0 or box.locator("input").is_disabled():
                return self.note("(not shown)")
            field = box.locator("input")
            was = field.input_value()
            field.click()
            self.page.keyboard.type(value)
            if self.page.locator("[role='option']", has_text=value).count() == 0:
                self.page.keyboard.press("Escape")
                return self.note("(not offered)")
            self.page.keyboard.press("Enter")
            changed = field.input_value() != was
        elif kind == "slider":
            box = sidebar.locator("[data-testid='stSlider']", has_text=label)
            if box.count() == 0:
                return self.note("(not shown)")
            thumb = box.get_by_role("slider").first
            was = thumb.input_value()
            thumb.focus()
            self.page.keyboard.press(value)
            changed = thumb.input_value() != was
        elif kind == "number":
            field = sidebar.locator("[data-testid='stNumberInput']", has_text=label)
            if field.count() == 0:
                return self.note("(not shown)")
            field = field.locator("input")
            changed = field.input_value() != value
            field.fill(value)
            field.press("Enter")
        else:  # the input features
            box = sidebar.locator("[data-testid='stMultiSelect']", has_text=label)
            chips = box.locator("[data-baseweb='tag'], [role='listitem'], .stMultiSelectTag")
            was = box.inner_text()
            box.locator("input").click()
            if value == "remove":
                if chips.count() < 2:
                    self.page.keyboard.press("Escape")
                    return self.note("(one feature left: kept)")
                self.page.keyboard.press("Backspace")
            else:
                self.page.keyboard.type(value)
                if self.page.locator("[role='option']", has_text=value).count() == 0:
                    self.page.keyboard.press("Escape")
                    return self.note("(not offered)")
                self.page.keyboard.press("Enter")
            self.page.keyboard.press("Escape")
            changed = box.inner_text() != was
        if not changed:
            self.note("(no change)")
        self.settle_change(before_url, before_runs, changed)
        return None

    def settle_change(self, before_url: str, before_runs: int, changed: bool = True) -> None:
        """A control's new value went to the server: wait for its full run, which puts the
        new configuration in the link (or says why it was refused). Paused, any run that
        started after the change is its run."""
        if changed:
            self.page.wait_for_function(
                f"""([url, runs]) => location.href !== url
                    || document.body.innerText.includes('could not be used')
                    || ({FEED_SEQ_JS} > runs && ![...document.querySelectorAll('button')]
                        .some(b => b.innerText.trim() === 'Pause'))""",
                arg=[before_url, before_runs],
                timeout=TIMEOUT,
            )
        bf.wait_ready(self.page)
        if not self.playing():
            bf.wait_paused(self.page)

    def type_seed(self) -> None:
        seed = self.rng.choice(SEEDS_TYPED)
        self.note(repr(seed))
        field = self.page.get_by_role("spinbutton", name="Weight seed")
        before_url, before_runs = self.page.url, self.runs()
        changed = field.input_value() != seed
        field.fill(seed)
        field.press("Enter")
        self.settle_change(before_url, before_runs, changed)

    def switch_view(self) -> None:
        view = self.rng.choice(("weights", "gradients"))
        self.note(view)
        before_url, before_runs = self.page.url, self.runs()
        group = self.page.locator(".st-key-c_net_view")
        if group.count() == 0:
            return self.note("(not shown)")
        choice = group.get_by_role("radio", name=view, exact=True)
        changed = choice.get_attribute("aria-checked") != "true"
        choice.click()
        self.settle_change(before_url, before_runs, changed)
        return None

    def slow_step(self) -> None:
        box = self.page.get_by_text("Slow motion", exact=True)
        if not self.page.locator(".st-key-slow_step input").is_checked():
            before = self.runs()
            box.click()
            self.wait_runs(before)
        self.step()

    def edit(self) -> None:
        trace = self.rng.choice(("neurons", "weights"))
        point = self.rng.randrange(1000)  # the n-th mark of the trace, modulo their number
        value = self.rng.choice(EDIT_VALUES)
        cancel = self.rng.random() < 0.3
        self.note(f"{trace}[{point}] {'cancel' if cancel else value}")
        net = self.page.locator("[data-live-chart-key='network']")
        net.scroll_into_view_if_needed()
        where = self.page.evaluate(
            """([name, i]) => {
                const d = document.querySelector("[data-live-chart-key='network']");
                const t = d._fullData.find(t => t.name === name);
                const marks = t ? [...t.x.keys()].filter(j => Number.isFinite(t.x[j])) : [];
                if (!marks.length) return null;
                i = marks[i % marks.length];
                const xa = d._fullLayout.xaxis, ya = d._fullLayout.yaxis;
                const box = d.getBoundingClientRect();
                return [box.left + xa._offset + xa.d2p(t.x[i]),
                        box.top + ya._offset + ya.d2p(t.y[i])];
            }""",
            [trace, point],
        )
        if where is None:
            return self.note("(no such point)")
        self.page.evaluate(PICK_PROBE_JS)
        self.page.mouse.move(*where)
        self.page.mouse.click(*where)
        dialog = self.page.locator("[role='dialog']")
        # Whether the click hit a mark is known in the browser at once (plotly's click event,
        # which the chart sends to the server as its "pick"); how soon the server's dialog
        # comes depends on the machine's load, so it is waited for only after a hit.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            picked = self.page.wait_for_function(
                "() => window.__pgPick.clicked && window.__pgPick.picked", timeout=5_000
            ).json_value()
        except PlaywrightTimeout:
            picked = None
        if picked != "sent":  # the click fell between the marks: the page must still be sound
            self.note("(missed)")
            bf.wait_ready(self.page)
            return None
        dialog.wait_for(timeout=TIMEOUT)
        bf.wait_ready(self.page)
        assert not self.playing(), "a click on the diagram pauses Play"
        if cancel:
            dialog.get_by_role("button", name="Cancel", exact=True).click()
        else:
            field = dialog.locator("input")
            field.fill(value)
            field.press("Enter")
            before = self.runs()
            dialog.get_by_role("button", name="Set", exact=True).click()
            # Set: the whole page runs again (the feed's next message) without the dialog;
            # refused: only the dialog runs again, and says why
            self.page.wait_for_function(
                f"(n) => {FEED_SEQ_JS} > n || {REFUSED_JS}", arg=before, timeout=TIMEOUT
            )
            bf.wait_ready(self.page)
            if self.runs() == before:  # refused: the dialog stays open, with what was typed
                assert dialog.get_by_text("Not set").count() == 1, dialog.inner_text()
                self.note("(refused)")
                dialog.get_by_role("button", name="Cancel", exact=True).click()
        dialog.wait_for(state="detached", timeout=TIMEOUT)
        bf.wait_paused(self.page)
        return None

    def draw(self) -> None:
        mode = self.rng.choice(("add class 0", "add class 1", "add points", "remove a point"))
        x, y = self.rng.uniform(0.05, 0.95), self.rng.uniform(0.05, 0.95)
        self.note(f"{mode!r} at ({x:.2f}, {y:.2f})")
        modes = self.page.locator(".st-key-draw_mode, .st-key-draw_mode_k")
        if modes.count() == 0:
            return self.note("(no drawing here)")
        choice = modes.get_by_role("radio", name=mode, exact=True)
        if choice.count() == 0:  # K >= 3 offers "add points", K = 2 a mode per class
            choice = modes.get_by_role("radio", name="remove a point", exact=True)
        if choice.get_attribute("aria-checked") != "true":
            before = self.runs()
            choice.click()
            self.wait_runs(before)
        plane = self.page.locator("[data-live-chart-key='boundary'][data-clicks='1']")
        plane.wait_for(timeout=TIMEOUT)
        drag = self.page.locator("[data-live-chart-key='boundary'] .nsewdrag").first
        box = drag.bounding_box()
        before = self.runs()
        self.page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])
        self.wait_runs(before)
        self.drawn = True
        if not self.playing():
            bf.wait_paused(self.page)
        return None

    def lesson(self) -> None:
        index = self.rng.randrange(len(LESSONS))
        key = list(LESSONS)[index]
        self.note(key)
        self.page.locator("[data-testid='stSidebarNav']").get_by_text("Lessons").click()
        self.page.get_by_role("button", name="Open in the Playground").nth(index).wait_for()
        bf.wait_ready(self.page)
        self.page.get_by_role("button", name="Open in the Playground").nth(index).click()
        self.page.wait_for_url(re.compile(f"lesson={key}"), timeout=TIMEOUT)
        self.wait_live()
        self.drawn = False
        self.loaded()

    def lesson_link(self) -> None:
        key = self.rng.choice(list(LESSONS))
        extra = self.rng.choice(("", "&seed=7", "&lr=100"))
        self.note(key + extra)
        self.goto(f"?lesson={key}{extra}")
        self.drawn = False

    def reload(self) -> None:
        query, sidebar = self.query(), self.sidebar()
        self.page.reload(wait_until="domcontentloaded")
        bf.wait_ready(self.page)
        self.wait_live()
        self.loaded()
        assert self.query() == query, ("the link changed on reload", query, self.query())
        if not self.drawn:
            now = self.sidebar()
            differ = {k: (sidebar.get(k), now.get(k)) for k in sidebar.keys() | now.keys()}
            differ = {k: v for k, v in differ.items() if v[0] != v[1]}
            assert not differ, f"the sidebar changed on reload: {differ}"
        self.drawn = False

    def hostile(self) -> None:
        query = self.rng.choice(HOSTILE_QUERIES)
        self.note(repr(query))
        self.goto("?" + urlencode(query))
        self.drawn = False

    def diverge(self) -> None:
        """α at its largest with linear activations: the outputs overflow within a few steps."""
        for label, value in (
            ("Output activation", "linear"),
            ("Hidden activation σ", "linear"),
            ("Learning rate α", "End"),
        ):
            self.control(label, value)
        for _ in range(6):
            if self.diverged():
                break
            self.step()

    def lecture_page(self) -> None:
        path = self.rng.choice(LECTURE_PAGES)
        self.note(path)
        sidebar = self.sidebar()
        query = self.query()
        nav = self.page.locator("[data-testid='stSidebarNav'] a")
        nav.and_(self.page.locator(f"[href$='/{path}']")).click()
        self.page.wait_for_url(re.compile(f"/{path}"), timeout=TIMEOUT)
        bf.wait_ready(self.page)
        self.check_page()
        nav.and_(self.page.locator("[href$='/']")).first.click()
        self.page.wait_for_url(re.compile(r"/(\?.*)?$"), timeout=TIMEOUT)
        self.wait_live()
        self.loaded()
        now = self.sidebar()
        differ = {k: (sidebar.get(k), now.get(k)) for k in sidebar.keys() | now.keys()}
        differ = {k: v for k, v in differ.items() if v[0] != v[1]}
        assert not differ, f"the Playground lost its settings on the way back: {differ}"
        assert self.query() == query, ("the link changed", query, self.query())

    # ------------------------------------------------------------------ invariants
    def check_page(self) -> None:
        """What must hold on any page."""
        exceptions = self.page.locator("[data-testid='stException']")
        assert exceptions.count() == 0, exceptions.all_inner_texts()
        assert self.page.get_by_text("Something went wrong").count() == 0
        assert self.console == [], self.console

    def check(self) -> None:
        self.check_page()
        if self.path() != "":
            return
        playing = self.playing()
        if not playing:
            bf.wait_paused(self.page)
        self.check_numbers()
        self.check_charts()
        play = self.button("Play")
        if playing:
            assert not self.diverged(), "Play goes on after a divergence"
        else:
            assert play.count() == 1, "paused, the button reads Play"
            assert play.is_disabled() == self.diverged(), (
                f"Play {'disabled' if play.is_disabled() else 'enabled'}, "
                f"{'a' if self.diverged() else 'no'} divergence shown"
            )
            before = self.steps()
            self.still(before)

    def still(self, before: int | None) -> None:
        self.page.wait_for_timeout(STILL_S * 1000)  # the one fixed wait: nothing may happen
        assert self.steps() == before, f"paused, the step counter moved: {before} → {self.steps()}"

    def check_numbers(self) -> None:
        metrics = self.page.evaluate(METRICS_JS)
        assert metrics, "the metrics row is shown"
        for label, value in metrics:
            assert value is not None and len(value) <= 24, (label, value)
            for part in re.split(r"\s*/\s*|\s+%|%", value.strip()):
                if not part:
                    continue
                ok = part in ("—", "–", "-") or re.fullmatch(
                    r"[−-]?\d[\d,]*(\.\d+)?(e[+−-]?\d+)?", part
                )
                assert ok, f"{label}: {value!r} is not a finite number or a dash"

    def check_charts(self) -> None:
        counts = self.page.evaluate(
            """(keys) => keys.map(k =>
                document.querySelectorAll(`[data-live-chart-key='${k}']`).length)""",
            list(LIVE),
        )
        assert counts == [1] * len(LIVE), dict(zip(LIVE, counts, strict=True))
        created = self.page.evaluate("() => ({...(window.__liveChart?.created ?? {})})")
        assert created == self.created, f"a chart was remounted: {self.created} → {created}"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_student_cannot_break_the_playground(page, app_server, console_errors, screenshot, seed):
    student = Student(page, app_server, random.Random(seed), console_errors)
    t0 = time.monotonic()
    try:
        student.goto()
        student.check()
        student.act(ACTIONS, BUDGET_S)
    except Exception as e:
        shot = screenshot(page, f"student-seed-{seed}")
        try:
            state = page.evaluate(
                f"() => ({{focus: document.activeElement?.outerHTML.slice(0, 120),"
                f" classroom: window.__classroom, step: ({STEP_JS})()}})"
            )
        except Exception as why:  # the page itself may be what broke
            state = repr(why)
        raise AssertionError(
            f"seed {seed}, after these actions:\n  "
            + "\n  ".join(student.log)
            + f"\n{type(e).__name__}: {e}\n(screenshot {shot}; page state {state})"
        ) from e
    print(f"seed {seed}: {time.monotonic() - t0:.1f} s")
    print("\n".join(student.log))
