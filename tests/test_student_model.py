"""A model-based test of the Playground: random sequences of what students do (issue 10).

Hypothesis drives a `RuleBasedStateMachine` over Streamlit's AppTest. The machine acts as a
browser does: it clicks and sets the widgets of the page that the last *full* run drew (Step,
Reset and Play frames rerun only the live fragment, so between full runs the page outside it
stays as it was), uploads good and bad files, clicks on the plane, opens lessons, changes any
control mid-run (extremes included) and drives training into divergence. AppTest runs no
browser timer, so a Play frame is a fragment run while playing (a Step click from the playing
page). After every action it checks what a student must always see:

- no exception element and no "Something went wrong";
- every number on the page is finite and short, or a dash where there is nothing to show;
- Play is enabled exactly when training can go on (not after a divergence), Pause while playing;
- each chart as the browser holds it (its last whole figure) has the labels, the output range
  and the layer structure of the current configuration.

Bounded for CI: a few hundred actions in all (MAX_EXAMPLES × STEPS).
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from streamlit.testing.v1 import AppTest

from playground import Network, network_to_json
from playground.csv_io import dataset_to_csv
from playground.datasets import DATASETS, make_dataset
from tests.conftest import page_numbers
from ui.config import LEARNING_RATES
from ui.figures.network import network_trace_index
from ui.lessons import LESSONS
from ui.web import controls, files, live, network_tools

MAX_EXAMPLES = int(os.environ.get("STUDENT_MODEL_EXAMPLES", "15"))
STEPS = int(os.environ.get("STUDENT_MODEL_STEPS", "40"))

SELECTS = {
    "c_dataset": sorted(DATASETS),
    "c_act": list(controls.ACTIVATION_ORDER),
    "c_out": [*controls.ACTIVATION_ORDER, "softmax"],
    "c_cost": ["quadratic", "cross_entropy"],
    "c_init": ["uniform", "normal", "zeros", "small"],
    "c_reg": ["none", "l1", "l2"],
}
SLIDERS = {"c_layers": [0, 1, 2, 8], "c_points": [10, 37, 2000], "c_noise": [0, 50]}
SLIDERS |= {"c_classes": [2, 3, 6]}
SLIDERS |= {"c_train": [10, 90]}
SELECT_SLIDERS = {
    "c_lr": [LEARNING_RATES[0], 0.3, 3.0, LEARNING_RATES[-1]],
    "c_batch": list(controls.BATCH_SIZES),
    "c_speed": [1, 100],
    "c_regrate": [0.0, 0.01, 10.0],
}
NUMBERS = {"c_k0": [1, 12], "c_seed": [0, 2**31 - 1], "c_dseed": [0, 7]}
TOGGLES = ["c_test", "c_discretize", "cost_log", "c_per_layer"]
FEATURES = [["x1"], ["x1", "x2"], ["x1_sq", "x2_sq"], ["x1", "x2", "x1x2", "sin_x1", "sin_x2"]]

GOOD_CSV = dataset_to_csv(make_dataset("gauss", n_points=40, seed=1)).encode()
FIVE_CLASSES = dataset_to_csv(make_dataset("gauss", n_points=50, seed=1, classes=5)).encode()
BAD_FILES = [
    b"x1,x2,label\n1,2,0\n3,[Log in](https://evil.example),1\n",
    b"\xff\xfe\x00binary",
    "x1,x2,label\n" + "\n".join(f"{(-1) ** i * 1e300},{i},{i % 2}" for i in range(20)),
]
GOOD_NET = network_to_json(Network([2, 3, 1], activations=["relu", "tanh"], seed=4)).encode()
BAD_NETS = [b"[" * 100_000 + b"]" * 100_000, b'{"format": "nn-playground/network"}']


class Upload:
    def __init__(self, data: bytes | str) -> None:
        self.data = data.encode() if isinstance(data, str) else data

    def getvalue(self) -> bytes:
        return self.data


def with_session(at: AppTest, module, callback, *args) -> None:
    """Run a callback of ``module`` with the test's session state, as Streamlit would."""
    real = module.S
    try:
        module.S = at.session_state
        callback(*args)
    finally:
        module.S = real


class Student(RuleBasedStateMachine):
    @initialize(
        query=st.sampled_from(
            [
                {},
                {"dataset": "spiral", "hidden": "8,8"},
                {"lr": "10"},
                {"dataset": "spiral", "classes": "3", "reg": "l2", "regrate": "0.01"},
            ]
        )
    )
    def open_the_page(self, query):
        self.at = AppTest.from_file("../app.py", default_timeout=60)
        for k, v in query.items():
            self.at.query_params[k] = v
        self.at.run()
        self.page = self.at._tree  # what the browser shows outside the live fragment
        self.charts: dict[str, dict] = {}  # each chart's last whole figure, as the browser has it
        self.after_run()

    # ------------------------------------------------------------------ how a run is seen
    def after_run(self) -> None:
        if any(b.key == "step" for b in self.at.button):  # a full run redrew the page
            self.page = self.at._tree
        for e in self.at.get("bidi_component"):
            name = e.proto.component_name
            message = json.loads(e.proto.bytes)
            if name.endswith("live_chart") and "figure" in message:
                self.charts[message["key"]] = message["figure"]
            elif name.endswith("live_feed"):
                for frame in message["frames"]:
                    for m in frame["charts"]:
                        if "figure" in m:
                            self.charts[m["key"]] = m["figure"]

    def widget(self, kind: str, key: str):
        found = [w for w in getattr(self.page, kind) if w.key == key]
        return found[0] if found and not found[0].disabled else None

    def press(self, key: str) -> None:
        button = self.widget("button", key)
        if button is not None:
            button.click()
            self.page.run()
            self.after_run()

    def full_run(self) -> None:
        self.at.run()
        self.after_run()

    # ------------------------------------------------------------------ what students do
    @rule(times=st.integers(1, 6))
    def step(self, times):
        for _ in range(times):
            self.press("step")

    @rule()
    def reset(self):
        self.press("reset")

    @rule(frames=st.integers(1, 8))
    def play(self, frames):
        self.press("play")
        for _ in range(frames):
            if not self.at.session_state.playing:
                break
            self.press("step")  # a frame: the fragment runs while playing

    @rule()
    def pause(self):
        self.press("pause")

    @rule(key=st.sampled_from(sorted(SELECTS)), data=st.data())
    def choose(self, key, data):
        box = self.widget("selectbox", key)
        value = data.draw(st.sampled_from(SELECTS[key]))
        if value == "softmax" and self.at.session_state.exp.dataset.kind != "classification":
            return  # not offered there
        if box is not None:
            box.set_value(value)
            self.page.run()
            self.after_run()

    @rule(key=st.sampled_from(sorted(SLIDERS | SELECT_SLIDERS | NUMBERS)), data=st.data())
    def slide(self, key, data):
        kind, options = (
            next(
                (k, o[key])
                for k, o in (("slider", SLIDERS), ("select_slider", SELECT_SLIDERS))
                if key in o
            )
            if key not in NUMBERS
            else ("number_input", NUMBERS[key])
        )
        control = self.widget(kind, key)
        if control is not None:
            control.set_value(data.draw(st.sampled_from(options)))
            self.page.run()
            self.after_run()

    @rule(key=st.sampled_from(TOGGLES))
    def toggle(self, key):
        control = self.widget("toggle", key)
        if control is not None:
            control.set_value(not control.value)
            self.page.run()
            self.after_run()

    @rule(features=st.sampled_from(FEATURES))
    def features(self, features):
        control = self.widget("multiselect", "c_features")
        if control is not None and all(f in control.options for f in features):
            control.set_value(features)
            self.page.run()
            self.after_run()

    @rule(data=st.one_of(st.sampled_from([GOOD_CSV, FIVE_CLASSES]), st.sampled_from(BAD_FILES)))
    def upload_points(self, data):
        self.at.session_state["up_csv"] = Upload(data)
        with_session(self.at, files, files._on_csv)
        self.full_run()

    @rule(data=st.one_of(st.just(GOOD_NET), st.sampled_from(BAD_NETS)))
    def upload_network(self, data):
        self.at.session_state["up_net"] = Upload(data)
        with_session(self.at, files, files._on_network)
        self.full_run()

    @rule(
        mode=st.sampled_from(live.DRAW_MODES[1:]),
        x1=st.floats(-6, 6),
        x2=st.floats(-6, 6),
    )
    def draw(self, mode, x1, x2):
        if self.widget("segmented_control", "draw_mode") is None:
            return
        self.at.session_state["draw_mode"] = mode
        with_session(self.at, live, live._on_plane_click, x1, x2)
        self.full_run()  # the chart is outside the fragment: a click reruns the page

    @rule(
        mode=st.sampled_from(live.DRAW_MODES_MANY[1:]),
        cls=st.integers(-1, 7),  # 7 is beyond any K here: a forged class is refused
        x1=st.floats(-6, 6),
        x2=st.floats(-6, 6),
    )
    def draw_many(self, mode, cls, x1, x2):
        if self.widget("segmented_control", "draw_mode_k") is None:
            return
        self.at.session_state["draw_mode_k"] = mode
        self.at.session_state["draw_class"] = cls
        with_session(self.at, live, live._on_plane_click, x1, x2)
        k = self.at.session_state["exp"].dataset.n_classes
        if cls not in range(k):
            # A forged class reaches the click's callback only; AppTest's own client cannot
            # even send a picker value outside its options, so put back one it can send.
            self.at.session_state["draw_class"] = 0
        self.full_run()

    @rule(key=st.sampled_from(sorted(LESSONS)))
    def open_lesson(self, key):
        self.at.switch_page("pages/lessons_page.py").run()
        self.at.button(key=f"open_{key}").click().run()  # it switches to the Playground
        self.at.switch_page("pages/playground_page.py")  # and later runs stay there
        self.charts.clear()  # the Playground's charts are mounted anew
        self.after_run()

    @rule()
    def diverge(self):
        for key, value in (("c_out", "linear"), ("c_act", "linear")):
            if (box := self.widget("selectbox", key)) is not None:
                box.set_value(value)
        if (lr := self.widget("select_slider", "c_lr")) is not None:
            lr.set_value(100.0)
        self.page.run()
        self.after_run()
        self.step(6)

    @rule(view=st.sampled_from(["weights", "gradients"]))
    def switch_view(self, view):
        if (control := self.widget("segmented_control", "c_net_view")) is not None:
            control.set_value(view)
            self.page.run()
            self.after_run()

    @rule()
    def slow_step(self):
        if (box := self.widget("checkbox", "slow_step")) is not None and not box.value:
            box.check()
            self.page.run()
            self.after_run()
        self.press("step")

    @rule(
        part=st.sampled_from(["link_hover", "neuron_hover", "input_hover", "outlines"]),
        point=st.integers(-1, 40),
        value=st.sampled_from(["0.5", "-100", "100", "1e-9", "−2", "inf", "nan", "x", "101"]),
        keep=st.booleans(),
    )
    def edit(self, part, point, value, keep):
        """A click on the diagram (any trace, any point, forged ones too), then the editor."""
        exp = self.at.session_state.exp
        trace = network_trace_index(list(exp.net.sizes))[part]
        with_session(self.at, network_tools, network_tools.on_pick, trace, point)
        self.full_run()
        target = (
            self.at.session_state["edit_target"] if "edit_target" in self.at.session_state else None
        )
        if target is None:
            return
        assert not self.at.session_state.playing  # a click on the diagram pauses Play
        self.at.text_input(key="edit_value").input(value).run()
        self.at.button(key="edit_set").click().run()
        if self.at.session_state.get("edit_target"):  # refused: the dialog stays open
            assert any("Not set" in e.value for e in self.at.error), "a refusal says why"
            self.at.button(key="edit_cancel").click().run()
            self.full_run()
        else:
            assert network_tools.value_of(exp, target) == float(value.replace("−", "-"))
            self.after_run()
        if (box := self.widget("checkbox", "keep_edits")) is not None and box.value != keep:
            box.check() if keep else box.uncheck()
            self.page.run()
            self.after_run()

    # ------------------------------------------------------------------ what must always hold
    @invariant()
    def nothing_is_broken(self):
        assert not self.at.exception, [e.value for e in self.at.exception]
        broken = [e.value for e in self.at.error if "Something went wrong" in e.value]
        assert not broken

    @invariant()
    def numbers_are_finite_and_short(self):
        numbers = page_numbers(self.at)
        assert numbers, "the numbers must always be shown"
        for label, value in numbers.items():
            assert not re.search(r"nan|inf", value, re.IGNORECASE), (label, value)
            assert len(value) <= 24, (label, value)
        assert numbers["C (training)"] != "—"  # the last finite state is always shown

    @invariant()
    def play_is_enabled_exactly_when_training_can_go_on(self):
        exp = self.at.session_state.exp
        can_go_on = exp.trainer.divergence is None
        keys = {b.key: b for b in self.page.button}
        if self.at.session_state.playing:
            assert can_go_on and "pause" in keys
        else:
            assert "play" in keys and keys["play"].disabled == (not can_go_on)

    @invariant()
    def every_chart_shows_the_current_configuration(self):
        exp = self.at.session_state.exp
        for spec in live.chart_specs(exp):
            held = self.charts.get(spec.key)
            if held is None:
                continue
            fresh = spec.figure()
            if spec.key == "network":
                assert _labels(held) == _labels(fresh), (_labels(held), _labels(fresh))
                assert len(held["data"]) == len(fresh["data"])  # the view shown is the chosen one
            if spec.key == "boundary":
                assert _colour_range(held) == _colour_range(fresh)
                assert _legend(held) == _legend(fresh)
            if spec.key == "delta":
                assert _legend(held) == _legend(fresh)


def _labels(fig: dict) -> list[str]:
    return [a["text"] for a in fig["layout"].get("annotations", []) if "layer" in a["text"]]


def _colour_range(fig: dict) -> tuple:
    marker = fig["data"][0].get("marker", {})
    return marker.get("cmin"), marker.get("cmax")


def _legend(fig: dict) -> list[str]:
    return [t.get("name") for t in fig["data"] if t.get("showlegend", True) and t.get("name")]


Student.TestCase.settings = settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=os.environ.get("CI", "").lower() == "true",  # CI: the same sequences each run
)
test_students_cannot_break_the_playground = Student.TestCase
