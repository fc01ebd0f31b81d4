"""The Playground's sidebar: widgets ⇄ PlaygroundConfig.

Widget values live in ``st.session_state`` under keys ``c_<name>``. ``load`` writes a
configuration into them (from a link, or a lesson later); ``read`` turns them back into a
validated configuration *before* the widgets are drawn, so that a repaired value (say, x₂
features dropped for 1-D data) can be written back without Streamlit complaining.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from playground.activations import ACTIVATIONS, LECTURE_ACTIVATIONS, OUTPUT_ACTIVATIONS
from playground.costs import COSTS
from playground.datasets import DATASETS
from playground.features import FEATURES, available_features
from playground.init import INITIALISERS
from playground.regularization import REGULARIZATIONS
from ui.config import (
    BOOL,
    CUSTOM,
    DEFAULT,
    FIELDS,
    LEARNING_RATES,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS_PER_LAYER,
    MAX_POINTS_UI,
    MAX_SEED,
    MIN_POINTS_UI,
    REG_RATES,
    SECTIONS,
    PlaygroundConfig,
    ViewOptions,
    checked,
    int_in,
    one_of,
    widget_value,
)
from ui.experiment import Experiment
from ui.notation import sub
from ui.user_text import literal
from ui.web import classroom, files

S = st.session_state
BATCH_SIZES = (0, 1, 2, 5, 10, 25, 50, 100, 250)
SPEEDS = (1, 2, 5, 10, 20, 50, 100)
ACTIVATION_ORDER = (*LECTURE_ACTIVATIONS, "linear")
_DATA_ONLY_TWO_D = "xor_lecture"


def widget_values(c: PlaygroundConfig) -> dict[str, object]:
    """The value of every sidebar widget that shows configuration ``c``, by key."""
    values: dict[str, object] = {
        "c_dataset": c.dataset,
        "c_points": c.n_points,
        "c_noise": c.noise,
        "c_train": c.train_pct,
        "c_dseed": c.data_seed,
        "c_classes": c.classes,
        "c_features": list(c.features),
        "c_layers": len(c.hidden),
        "c_per_layer": len(c.hidden_act) > 1,
        "c_act": c.hidden_act[0],
        "c_out": c.output_act,
        "c_cost": c.cost,
        "c_init": c.init,
        "c_seed": c.seed,
        "c_lr": c.learning_rate,
        "c_reg": c.regularization,
        "c_regrate": c.reg_rate,
        "c_batch": c.batch_size,
        "c_speed": c.speed,
        "c_discretize": c.discretize,
        "c_test": c.show_test,
        "c_delta_view": c.delta_view,
        "c_net_view": c.net_view,
    }
    for i in range(MAX_HIDDEN_LAYERS):
        values[f"c_k{i}"] = c.hidden[i] if i < len(c.hidden) else 2
        values[f"c_act{i}"] = c.hidden_act[i] if i < len(c.hidden_act) else c.hidden_act[0]
    return values


def load(c: PlaygroundConfig) -> None:
    """Put configuration ``c`` into the widgets' session-state keys."""
    for key, value in widget_values(c).items():
        S[key] = value


def _parsers(has_custom: bool) -> dict[str, Callable[[str], object]]:
    """The parser of every widget's value: the link's own (``ui/config.py``)."""
    field = {f.key: f.parse for f in FIELDS}
    datasets = one_of((*DATASETS, CUSTOM) if has_custom else tuple(DATASETS))
    out = {
        "c_dataset": datasets,
        "c_points": field["points"],
        "c_noise": field["noise"],
        "c_train": field["train"],
        "c_dseed": field["dseed"],
        "c_classes": field["classes"],
        "c_features": field["features"],
        "c_layers": int_in(0, MAX_HIDDEN_LAYERS),
        "c_per_layer": BOOL,
        "c_act": one_of(ACTIVATIONS),
        "c_out": field["out"],
        "c_cost": field["cost"],
        "c_init": field["init"],
        "c_seed": field["seed"],
        "c_lr": field["lr"],
        "c_reg": field["reg"],
        "c_regrate": field["regrate"],
        "c_batch": field["batch"],
        "c_speed": field["speed"],
        "c_discretize": field["discretize"],
        "c_test": field["test"],
        "c_delta_view": field["dview"],
        "c_net_view": field["nview"],
    }
    for i in range(MAX_HIDDEN_LAYERS):
        out[f"c_k{i}"] = int_in(1, MAX_NEURONS_PER_LAYER)
        out[f"c_act{i}"] = one_of(ACTIVATIONS)
    return out


def _checked_widgets(fallback: PlaygroundConfig) -> tuple[dict[str, object], list[str]]:
    """Every widget's value as its control may hold it; a value that is not (forged: a wrong
    type, an unknown name, out of range) is replaced by ``fallback``'s, with a notice."""
    default = widget_values(fallback)
    values, refused = {}, []
    for key, parse in _parsers(has_custom="exp" in S and S.exp.custom is not None).items():
        try:
            values[key] = widget_value(parse, S.get(key, default[key]))
        except ValueError:
            values[key] = default[key]
            refused.append(key.removeprefix("c_"))
    notices = [f"Ignored values no control can hold ({', '.join(refused)}); kept the last ones."]
    return values, notices if refused else []


def read() -> tuple[PlaygroundConfig, list[str]]:
    """The configuration the widgets show, checked and made consistent; notices for what was
    refused or repaired."""
    if (pending := S.pop("pending_config", None)) is not None:  # set by an upload
        load(pending)
    fallback = S.exp.config if "exp" in S else DEFAULT
    if "c_dataset" not in S:  # first visit, or the widgets were not drawn (another page)
        load(fallback)
    v, refused = _checked_widgets(fallback)
    n = v["c_layers"]
    per_layer = v["c_per_layer"] and n > 1
    config = PlaygroundConfig(
        dataset=v["c_dataset"],
        n_points=v["c_points"],
        noise=v["c_noise"],
        train_pct=v["c_train"],
        data_seed=v["c_dseed"],
        classes=_classes(v["c_classes"], v["c_dataset"]),
        features=tuple(v["c_features"]),
        hidden=tuple(v[f"c_k{i}"] for i in range(n)),
        hidden_act=tuple(v[f"c_act{i}"] for i in range(n)) if per_layer else (v["c_act"],),
        output_act=v["c_out"],
        cost=v["c_cost"],
        init=v["c_init"],
        seed=v["c_seed"],
        learning_rate=v["c_lr"],
        regularization=v["c_reg"],
        reg_rate=v["c_regrate"],
        batch_size=v["c_batch"],
        speed=v["c_speed"],
        discretize=v["c_discretize"],
        show_test=v["c_test"],
        delta_view=v["c_delta_view"],
        net_view=v["c_net_view"],
    )
    repaired, notices = checked(config)
    if repaired != config or refused:
        load(repaired)
        if refused:  # load writes only what a configuration holds: the rest as checked
            for key in ("c_per_layer", *(f"c_k{i}" for i in range(n, MAX_HIDDEN_LAYERS))):
                S[key] = v[key]
    return repaired, refused + notices


def _classes(chosen: int, dataset: str) -> int:
    """K: uploaded data keeps its own (set with it); a generated set takes the slider's."""
    if dataset == CUSTOM and "exp" in S and S.exp.custom is not None:
        return S.exp.custom.n_classes or 2
    # a set with fewer classes takes what it has, silently: the slider keeps its K for when
    # the student goes back to a set that offers it
    lo, hi = (DATASETS[dataset].classes or (2, 2)) if dataset in DATASETS else (2, 2)
    return min(max(chosen, lo), hi)


def _with(value, options):
    """``options`` plus ``value`` (a value from a link need not be one of the presets)."""
    return sorted(set(options) | {value})


def sidebar(exp: Experiment, view: ViewOptions, link_query: dict[str, str]) -> None:
    """Draw every control a link does not hide. Changing α, the batch size or the speed keeps
    training going; anything else starts again from the seed's initial weights. ``link_query``:
    the experiment as a link's query, for the teacher's link builder."""
    if _header("Data", SECTIONS["data"], view):
        _data(exp, view.shows)
    if _header("Network", SECTIONS["network"], view):
        _network(exp, view.shows)
    if _header("Training", SECTIONS["training"], view):
        _training(view.shows)
    if view.shows("files"):
        files.section(exp)
    if _header("View", SECTIONS["view"], view):
        if view.shows("test"):
            st.toggle("Show test points", persist_state=KEEP, key="c_test")
        if view.shows("discretize"):
            st.toggle(
                "Discretize the output (one flat colour per class)",
                persist_state=KEEP,
                key="c_discretize",
            )
    classroom.presenter_toggle()
    with st.expander("Link for your class", icon=":material/link:"):
        classroom.link_builder(link_query)
    st.caption(f"{exp.net!r} · {exp.net.n_params} parameters")


KEEP = "session"  # widget values survive while hidden or on another page


def _header(title: str, keys: tuple[str, ...], view: ViewOptions) -> bool:
    if any(view.shows(k) for k in keys):
        st.header(title)
        return True
    return False


def _data(exp: Experiment, shows) -> None:
    if shows("dataset"):
        options = [*DATASETS, CUSTOM] if exp.custom is not None else list(DATASETS)
        st.selectbox(
            "Data set",
            options,
            persist_state=KEEP,
            key="c_dataset",
            # plain values, not the experiment: Streamlit keeps a widget's format_func for as
            # long as the session lives, also after the tab was closed
            format_func=partial(_dataset_label, custom=_custom_label(exp)),
        )
        # the set's description below the box: a narrow sidebar would clip it inside. Its slot
        # is written on every run: an element that comes and goes moves every element after
        # it, and Streamlit then draws "Your own data and models" anew, closed (an upload
        # switches to your data and hid its own message).
        description = st.empty()
        if S.c_dataset in DATASETS:
            description.caption(_dataset_description(S.c_dataset, S.get("c_classes")))
    fixed = S.c_dataset in (_DATA_ONLY_TWO_D, CUSTOM)
    offered = DATASETS[S.c_dataset].classes if S.c_dataset in DATASETS else None
    if shows("classes") and offered and offered[1] > offered[0]:
        st.slider(
            "Classes K",
            *offered,
            persist_state=KEEP,
            key="c_classes",
            help="With 3 or more classes the network gets one output neuron per class, trained "
            "towards one-hot targets: the high target at its class's output, the low one at "
            "the others.",
        )
    if shows("points"):
        st.slider(
            "Number of points",
            MIN_POINTS_UI,
            MAX_POINTS_UI,
            persist_state=KEEP,
            key="c_points",
            disabled=fixed,
        )
    if shows("noise"):
        st.slider("Noise (%)", 0, 50, persist_state=KEEP, key="c_noise", disabled=fixed)
    if shows("train"):
        st.slider(
            "Training share (%)",
            10,
            90,
            persist_state=KEEP,
            key="c_train",
            disabled=fixed,
            help="The rest of the points form the test set: drawn, measured, never trained on.",
        )
    if shows("dseed"):
        cols = st.columns([3, 2], vertical_alignment="bottom")
        cols[0].number_input(
            "Data seed", 0, MAX_SEED, persist_state=KEEP, key="c_dseed", disabled=fixed
        )
        cols[1].button(
            "New data",
            on_click=_new_data,
            disabled=fixed,
            help="Draw new points; the network keeps its weights.",
        )


def _network(exp: Experiment, shows) -> None:
    if shows("features"):
        d = DATASETS[S.c_dataset].d if S.c_dataset in DATASETS else exp.dataset.d
        st.multiselect(
            "Input features (layer 1)",
            list(available_features(d)),
            persist_state=KEEP,
            key="c_features",
            format_func=lambda k: FEATURES[k].label,
            help="Each chosen feature is one input neuron: K₁ = number of features.",
        )
    n = S.c_layers
    if shows("hidden"):
        st.slider("Hidden layers", 0, MAX_HIDDEN_LAYERS, persist_state=KEEP, key="c_layers")
        n = S.c_layers
        cols = st.columns(min(n, 4)) if n else []
        for i in range(n):
            cols[i % len(cols)].number_input(
                f"K{sub(i + 2)} (layer {i + 2})",
                1,
                MAX_NEURONS_PER_LAYER,
                persist_state=KEEP,
                key=f"c_k{i}",
            )
    if shows("act") and n:
        st.selectbox(
            "Hidden activation σ",
            ACTIVATION_ORDER,
            persist_state=KEEP,
            key="c_act",
            format_func=_act_label,
            disabled=S.c_per_layer and n > 1,
        )
        if n > 1:
            st.toggle("A different activation in each layer", persist_state=KEEP, key="c_per_layer")
            for i in range(n if S.c_per_layer else 0):
                st.selectbox(
                    f"σ of layer {i + 2}",
                    ACTIVATION_ORDER,
                    persist_state=KEEP,
                    key=f"c_act{i}",
                    format_func=_act_label,
                )
    if shows("out"):
        classes = exp.dataset.kind == "classification"
        st.selectbox(
            f"Output activation σ (layer {n + 2})",
            (*ACTIVATION_ORDER, "softmax") if classes else ACTIVATION_ORDER,
            persist_state=KEEP,
            key="c_out",
            format_func=partial(_short_label, full=_act_label),
            help="K_L, the number of output neurons, follows the data: one for two classes or "
            "a regression, one per class for three or more (or with softmax).",
        )
        _full_label_below(S.c_out, _act_label, OUTPUT_ACTIVATIONS)
    if shows("cost"):
        full = _cost_label if S.c_out == "softmax" else _plain_cost_label
        st.selectbox(
            "Cost C",
            list(COSTS),
            persist_state=KEEP,
            key="c_cost",
            format_func=partial(_short_label, full=full),
        )
        _full_label_below(S.c_cost, full, COSTS)
    if shows("init"):
        st.selectbox(
            "Initial weights",
            list(INITIALISERS),
            persist_state=KEEP,
            key="c_init",
            format_func=partial(_short_label, full=_init_label),
        )
        _full_label_below(S.c_init, _init_label, INITIALISERS)
    if shows("seed"):
        st.number_input(
            "Weight seed",
            0,
            MAX_SEED,
            persist_state=KEEP,
            key="c_seed",
            help="The same seed always gives the same initial w and b.",
        )


def _training(shows) -> None:
    if shows("lr"):
        st.select_slider(
            "Learning rate α",
            _with(S.c_lr, LEARNING_RATES),
            persist_state=KEEP,
            key="c_lr",
            format_func=lambda v: f"{v:g}",
        )
    if shows("reg"):
        st.selectbox(
            "Regularisation",
            list(REGULARIZATIONS),
            persist_state=KEEP,
            key="c_reg",
            format_func=lambda k: REGULARIZATIONS[k].label,
            help="Adds a penalty R on the weights (never the biases) to the cost: "
            "C = C₀ + R. Only the update (24) changes: L2 adds λw (every weight shrinks a "
            "little each step: weight decay), L1 adds λ·sign(w). Applies without a reset.",
        )
    if shows("regrate"):
        st.select_slider(
            "Regularisation rate λ",
            _with(S.c_regrate, REG_RATES),
            persist_state=KEEP,
            key="c_regrate",
            format_func=lambda v: f"{v:g}",
            disabled=S.c_reg == "none",
        )
    if shows("batch"):
        st.select_slider(
            "Batch size",
            _with(S.c_batch, BATCH_SIZES),
            persist_state=KEEP,
            key="c_batch",
            format_func=lambda v: "all (batch GD)" if v == 0 else str(v),
            help="Examples per update. 'all' is the lecture's batch gradient descent.",
        )
    if shows("speed"):
        st.select_slider(
            "Speed (steps per frame while playing)",
            _with(S.c_speed, SPEEDS),
            persist_state=KEEP,
            key="c_speed",
        )


def _custom_label(exp: Experiment) -> str:
    if exp.custom is None:
        return ""
    k = exp.custom.n_classes
    kind = f"{k} classes" if k else exp.custom.kind
    return f"your data — {exp.custom.n} points ({kind})"


#: The data sets' names in the picker: short enough for a phone's sidebar.
DATASET_TITLES = {
    "xor_lecture": "lecture's XOR, 4 points",
    "xor": "XOR quadrants",
    "circle": "circle",
    "gauss": "Gaussian clouds",
    "spiral": "spiral",
    "plane": "plane (regression)",
    "gauss_bumps": "bumps (regression)",
    "sine_1d": "sine curve (regression)",
}


def _dataset_label(key: str, *, custom: str) -> str:
    return custom if key == CUSTOM else DATASET_TITLES.get(key, key)


def _dataset_description(key: str, classes: object) -> str:
    """What the set is (our own text), for ``classes`` K where the set offers several."""
    info = DATASETS[key]
    k = classes if isinstance(classes, int) and info.classes and info.classes[1] >= 3 else None
    return info.describe(k)


def _new_data() -> None:
    S.c_dseed = (S.c_dseed + 1) % (MAX_SEED + 1)


def _act_label(name: str) -> str:
    return OUTPUT_ACTIVATIONS[name].label


def _plain_cost_label(name: str) -> str:
    return COSTS[name].label


def _init_label(name: str) -> str:
    return INITIALISERS[name].label


#: What a select box shows where an option's label is too long for a narrow sidebar (it would
#: be clipped); the whole label is a caption under the box once chosen.
SHORT_LABELS = {
    "softmax": "softmax (not in lecture)",
    "cross_entropy": "cross-entropy",
    "small": "small, N(0, 0.1²)",
    "normal": "N(0, 1)",
    "scaled": "scaled, N(0, 1/Kˡ⁻¹)",
    "uniform": "uniform ±0.5",
    "equal": "all equal, 0.5",
    "zeros": "all zeros",
}


def _short_label(name: str, *, full: Callable[[str], str]) -> str:
    return SHORT_LABELS.get(name) or full(name)


def _full_label_below(name: object, full: Callable[[str], str], options) -> None:
    """The whole label of the chosen option under its box, when the box shows a short one
    (``name`` as the browser sent it: only one of ``options`` is looked up). The slot is
    written for every option, so that no element after it moves (see ``_data``)."""
    slot = st.empty()
    if isinstance(name, str) and name in SHORT_LABELS and name in options:
        slot.caption(literal(full(name)))


def _cost_label(name: str) -> str:
    """A cost as it is with a softmax output (the cross-entropy then is not the lecture's)."""
    return {
        "quadratic": COSTS["quadratic"].label,
        "cross_entropy": "cross-entropy with softmax (not in the lecture)",
    }[name]
