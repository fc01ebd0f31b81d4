"""The Playground's configuration and its shareable-link codec (no streamlit here).

A configuration is everything needed to reproduce an experiment from scratch: the data (set,
size, noise, split, seed), the input features, the network (hidden layers, activations, cost,
initialisation, weight seed) and the training settings. Weights and the step counter are never
part of it: a link gives every student the same *start*.

The URL codec is a table: one row per query key, with a parser that either returns a valid value
or raises ValueError with a sentence a student can read. A bad value keeps its default and adds a
notice; nothing unvalidated reaches the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from playground.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from playground.costs import COSTS
from playground.datasets import DATASETS, MAX_CLASSES, MAX_NOISE
from playground.features import FEATURES, available_features
from playground.init import INITIALISERS
from playground.regularization import REGULARIZATIONS
from ui.user_text import clip

CUSTOM = "custom"  # uploaded points: valid in a session, never in a link (data is not in a URL)
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS_PER_LAYER = 12
MAX_POINTS_UI = 2000
MIN_POINTS_UI = 10
MAX_SEED = 2**31 - 1
#: The learning rates α the app offers, on every page: a 1-3-10 scale (each about 3× the last).
LEARNING_RATES = (
    0.00001,
    0.0001,
    0.001,
    0.003,
    0.01,
    0.03,
    0.1,
    0.3,
    1.0,
    3.0,
    10.0,
    30.0,
    100.0,
)
LR_MIN, LR_MAX = 1e-6, 1e3
#: The regularisation rates λ the app offers: TensorFlow Playground's list.
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATE_MAX = 10.0


def learning_rates(lo: float, hi: float) -> tuple[float, ...]:
    """The part of the app's α scale from lo to hi, for a page that offers fewer values."""
    return tuple(a for a in LEARNING_RATES if lo <= a <= hi)


MAX_SPEED = 100
#: What the δ chart plots per layer l: ‖∂C/∂b^l‖ (the norm of the batch mean of δ^l, eq. (19)),
#: or the root mean square over the examples of ‖δ^l_x‖ divided by the output layer's.
#: "weights" plots ‖w^l‖ instead, what regularisation shrinks.
DELTA_VIEWS = ("gradient", "relative", "weights")
#: What the network diagram draws: the weights w^l_jk (links) and each neuron's picture, or the
#: gradients: ∂C/∂w^l_jk (links, eq. (18)) and a ring by δ^l_j (eqs. (10), (17), (19)).
NET_VIEWS = ("weights", "gradients")
_MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class PlaygroundConfig:
    dataset: str = "circle"
    n_points: int = 500
    noise: int = 0  # percent, 0–50 like TensorFlow Playground
    train_pct: int = 50
    data_seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    hidden_act: tuple[str, ...] = ("tanh",)  # one name for all hidden layers, or one per layer
    output_act: str = "tanh"  # or "softmax" (classification only; not in the lecture)
    cost: str = "quadratic"
    classes: int = 2  # K, for the sets that offer more (gauss, spiral) and uploaded data
    regularization: str = "none"  # "l1", "l2" (TensorFlow Playground's regularization)
    reg_rate: float = 0.0  # λ, kept while regularization is "none", as there
    init: str = "uniform"
    seed: int = 0
    learning_rate: float = 0.3
    batch_size: int = 0  # 0 = the whole training set (batch gradient descent)
    speed: int = 1  # gradient-descent steps per displayed frame while playing
    discretize: bool = False
    show_test: bool = False
    delta_view: str = "gradient"  # the δ chart: one of DELTA_VIEWS
    net_view: str = "weights"  # the network diagram: one of NET_VIEWS

    @property
    def outputs(self) -> int:
        """K_L: one output for two classes (class 1 above the middle of its targets) or a
        regression; one output per class (one-hot targets) for K ≥ 3 classes, or with softmax."""
        return self.classes if self.classes > 2 or self.output_act == "softmax" else 1

    @property
    def sizes(self) -> list[int]:
        """[K_1, …, K_L]: input features, hidden layers, the outputs."""
        return [len(self.features), *self.hidden, self.outputs]

    @property
    def activations(self) -> list[str]:
        """One activation name per layer l = 2 … L."""
        n = len(self.hidden)
        hidden = list(self.hidden_act) * n if len(self.hidden_act) == 1 else list(self.hidden_act)
        return [*hidden[:n], self.output_act]

    def data_key(self) -> tuple:
        return (
            self.dataset,
            self.n_points,
            self.noise,
            self.train_pct,
            self.data_seed,
            self.classes,
        )

    def network_key(self) -> tuple:
        return (
            self.features,
            self.hidden,
            tuple(self.activations),
            self.cost,
            self.init,
            self.seed,
        )


DEFAULT = PlaygroundConfig()


# ---------------------------------------------------------------------------- value parsers
def _int_in(lo: int, hi: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            v = int(text.strip())
        except ValueError:
            raise ValueError(f"expected a whole number from {lo} to {hi}") from None
        if not lo <= v <= hi:
            raise ValueError(f"expected a whole number from {lo} to {hi}")
        return v

    return parse


def _one_of(options: Mapping | tuple) -> Callable[[str], str]:
    def parse(text: str) -> str:
        v = text.strip().lower()
        if v not in options:
            raise ValueError(f"expected one of {', '.join(sorted(options))}")
        return v

    return parse


def _list_of(item: Callable[[str], object], lo: int, hi: int) -> Callable[[str], tuple]:
    def parse(text: str) -> tuple:
        parts = [p for p in text.split(",") if p.strip()] if text.strip() else []
        if not lo <= len(parts) <= hi:
            raise ValueError(f"expected {lo} to {hi} comma-separated values")
        return tuple(item(p) for p in parts)

    return parse


def _learning_rate(text: str) -> float:
    try:
        v = float(text.strip())
    except ValueError:
        raise ValueError(f"expected a number from {LR_MIN:g} to {LR_MAX:g}") from None
    if not (math.isfinite(v) and LR_MIN <= v <= LR_MAX):
        raise ValueError(f"expected a number from {LR_MIN:g} to {LR_MAX:g}")
    return v


def _reg_rate(text: str) -> float:
    try:
        v = float(text.strip())
    except ValueError:
        raise ValueError(f"expected a number from 0 to {REG_RATE_MAX:g}") from None
    if not (math.isfinite(v) and 0 <= v <= REG_RATE_MAX):
        raise ValueError(f"expected a number from 0 to {REG_RATE_MAX:g}")
    return v + 0.0  # -0.0 is 0


def _bool(text: str) -> bool:
    v = text.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _features(text: str) -> tuple[str, ...]:
    names = _list_of(_one_of(FEATURES), 1, len(FEATURES))(text)
    if len(set(names)) != len(names):
        raise ValueError("each feature may appear once")
    return names


def _fmt_list(v: tuple) -> str:
    return ",".join(map(str, v))


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """A parser of whole numbers from lo to hi (for controls that are not link fields)."""
    return _int_in(lo, hi)


def one_of(options: Mapping | tuple) -> Callable[[str], str]:
    """A parser of one name among ``options``."""
    return _one_of(options)


BOOL = _bool


def widget_value(parse: Callable[[str], object], value: object) -> object:
    """A widget's value checked by the link's own parser. Widget values arrive over the
    websocket and can be forged: another type, an unknown name, a number out of range, a
    string of megabytes. ValueError when ``value`` is not one the control can hold."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float):
        text = str(value)
    elif isinstance(value, list | tuple) and all(
        isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    ):
        text = ",".join(map(str, value[: _MAX_VALUE_CHARS + 1]))
    else:
        raise ValueError(f"a {type(value).__name__} is not a value of this control")
    if len(text) > _MAX_VALUE_CHARS:
        raise ValueError(f"the value is longer than {_MAX_VALUE_CHARS} characters")
    return parse(text)


@dataclass(frozen=True)
class Field:
    key: str  # the query-string key
    attr: str  # the PlaygroundConfig attribute
    parse: Callable[[str], object]
    format: Callable[[object], str] = str
    aliases: tuple[str, ...] = ()  # other keys read from a link (TensorFlow Playground's names)


FIELDS: tuple[Field, ...] = (
    Field("dataset", "dataset", _one_of(DATASETS)),
    Field("points", "n_points", _int_in(MIN_POINTS_UI, MAX_POINTS_UI)),
    Field("noise", "noise", _int_in(0, round(100 * MAX_NOISE))),
    Field("train", "train_pct", _int_in(10, 90)),
    Field("dseed", "data_seed", _int_in(0, MAX_SEED)),
    Field("classes", "classes", _int_in(2, MAX_CLASSES)),
    Field("features", "features", _features, _fmt_list),
    Field(
        "hidden",
        "hidden",
        _list_of(_int_in(1, MAX_NEURONS_PER_LAYER), 0, MAX_HIDDEN_LAYERS),
        _fmt_list,
    ),
    Field("act", "hidden_act", _list_of(_one_of(ACTIVATIONS), 1, MAX_HIDDEN_LAYERS), _fmt_list),
    Field("out", "output_act", _one_of(OUTPUT_ACTIVATIONS)),
    Field("cost", "cost", _one_of(COSTS)),
    Field("reg", "regularization", _one_of(REGULARIZATIONS), aliases=("regularization",)),
    Field("regrate", "reg_rate", _reg_rate, lambda v: f"{v:g}", aliases=("regularizationRate",)),
    Field("init", "init", _one_of(INITIALISERS)),
    Field("seed", "seed", _int_in(0, MAX_SEED)),
    Field("lr", "learning_rate", _learning_rate, lambda v: f"{v:g}"),
    Field("batch", "batch_size", _int_in(0, MAX_POINTS_UI)),
    Field("speed", "speed", _int_in(1, MAX_SPEED)),
    Field("discretize", "discretize", _bool, lambda v: "true" if v else "false"),
    Field("test", "show_test", _bool, lambda v: "true" if v else "false"),
    Field("dview", "delta_view", _one_of(DELTA_VIEWS)),
    Field("nview", "net_view", _one_of(NET_VIEWS)),
)
KEYS = {f.key for f in FIELDS}


def to_query(config: PlaygroundConfig, base: PlaygroundConfig | None = None) -> dict[str, str]:
    """The query parameters of a link: the values that differ from the defaults, and, in a
    link that names a lesson, also those that differ from the lesson's configuration
    (``base``), which ``from_query`` fills in for values a link does not give.

    Uploaded data cannot travel in a link: a configuration on CUSTOM data links to the
    default data set with everything else kept."""
    base = DEFAULT if base is None else base
    return {
        f.key: f.format(getattr(config, f.attr))
        for f in FIELDS
        if not getattr(config, f.attr) == getattr(DEFAULT, f.attr) == getattr(base, f.attr)
        and not (f.attr in ("dataset", "classes") and config.dataset == CUSTOM)
    }


def describe_difference(kept: PlaygroundConfig, now: PlaygroundConfig) -> str:
    """What differs between two configurations, in link notation: "act=relu, lr=0.1"."""
    a, b = to_query(kept), to_query(now)
    keys = [f.key for f in FIELDS if a.get(f.key) != b.get(f.key)]
    shown = {f.key: f.format(getattr(kept, f.attr)) for f in FIELDS}
    return ", ".join(f"{k}={shown[k]}" for k in keys) or "same settings"


def from_query(
    params: Mapping[str, str | list[str]], base: PlaygroundConfig | None = None
) -> tuple[PlaygroundConfig, list[str]]:
    """A valid configuration from query parameters, and one notice per value that was ignored.
    A value the link does not give is ``base``'s (the defaults, or the lesson it names)."""
    values: dict[str, object] = {}
    notices: list[str] = []
    for f in FIELDS:
        # our own key wins over an alias (TensorFlow Playground's name) given with it
        key = next((k for k in (f.key, *f.aliases) if k in params), None)
        if key is None:
            continue
        raw = params[key]
        text = raw[-1] if isinstance(raw, list) and raw else raw
        if not isinstance(text, str):
            continue
        shown = clip(text, 40)
        try:
            if len(text) > _MAX_VALUE_CHARS:
                raise ValueError(f"the value is longer than {_MAX_VALUE_CHARS} characters")
            values[f.attr] = f.parse(text)
        except ValueError as e:
            notices.append(f"Ignored {key}={shown!r} from the link ({e}); using the default.")
    config, more = checked(replace(DEFAULT if base is None else base, **values))
    return config, notices + more


def checked(config: PlaygroundConfig) -> tuple[PlaygroundConfig, list[str]]:
    """Make combinations consistent (each value may be valid alone but not together)."""
    notices: list[str] = []
    allowed = available_features(DATASETS[config.dataset].d if config.dataset in DATASETS else 2)
    usable = tuple(f for f in config.features if f in allowed)
    if usable != config.features:
        notices.append("This data set has one input x₁, so the features of x₂ were dropped.")
    if not usable:
        notices.append("The network needs at least one input feature; x₁ was chosen.")
    if usable != config.features or not usable:
        config = replace(config, features=usable or ("x1",))
    n_hidden = len(config.hidden)
    if len(config.hidden_act) not in (1, n_hidden) and n_hidden:
        notices.append(
            f"{len(config.hidden_act)} hidden activations were given for {n_hidden} hidden "
            "layers; the first one is used for all of them."
        )
        config = replace(config, hidden_act=config.hidden_act[:1])
    if config.delta_view not in DELTA_VIEWS:  # a widget state can be forged
        config = replace(config, delta_view=DEFAULT.delta_view)
    if config.net_view not in NET_VIEWS:
        config = replace(config, net_view=DEFAULT.net_view)
    config, more = _checked_classes(config)
    notices += more
    if config.cost == "cross_entropy" and config.output_act not in ("sigmoid", "softmax"):
        notices.append(
            "The cross-entropy cost needs a sigmoid or softmax output; using the quadratic cost."
        )
        config = replace(config, cost="quadratic")
    if config.regularization not in REGULARIZATIONS or not (
        isinstance(config.reg_rate, int | float) and 0 <= config.reg_rate <= REG_RATE_MAX
    ):  # a widget state can be forged
        config = replace(config, regularization="none", reg_rate=0.0)
    return config, notices


def _checked_classes(config: PlaygroundConfig) -> tuple[PlaygroundConfig, list[str]]:
    """K must be one the data set offers (uploaded data: its own, set with it), and softmax
    needs classes: with regression data the output is tanh again."""
    notices: list[str] = []
    info = DATASETS.get(config.dataset)
    if info is not None:
        lo, hi = info.classes or (2, 2)
        if not lo <= config.classes <= hi:
            what = f"{lo} classes" if lo == hi else f"{lo} to {hi} classes"
            notices.append(
                f"The data set {config.dataset} has {what}, not {config.classes}; "
                f"using {min(max(config.classes, lo), hi)}."
            )
            config = replace(config, classes=min(max(config.classes, lo), hi))
        if info.kind == "regression" and config.output_act == "softmax":
            notices.append(
                "The softmax output is for classes; a regression set gets the tanh output."
            )
            config = replace(config, output_act=DEFAULT.output_act)
    return config, notices


# ---------------------------------------------------------------------------- classroom links
#: Controls grouped as the sidebar groups them; ``hide=`` accepts a group or a single key.
SECTIONS: dict[str, tuple[str, ...]] = {
    "data": ("dataset", "classes", "points", "noise", "train", "dseed"),
    "network": ("features", "hidden", "act", "out", "cost", "init", "seed"),
    "training": ("lr", "reg", "regrate", "batch", "speed"),
    "view": ("discretize", "test", "dview", "nview"),
    "files": ("files",),
    # not in the sidebar: Step/Play/Reset, and the navigation between the pages (for a demo)
    "page": ("buttons", "nav"),
}
HIDEABLE = frozenset(k for keys in SECTIONS.values() for k in keys)


@dataclass(frozen=True)
class ViewOptions:
    """How a link shows the page (not what the experiment is): hidden controls, presenter."""

    hidden: frozenset[str] = frozenset()
    present: bool = False

    def shows(self, key: str) -> bool:
        return key not in self.hidden

    def to_query(self) -> dict[str, str]:
        out = {"hide": ",".join(sorted(self.hidden))} if self.hidden else {}
        return out | ({"present": "true"} if self.present else {})


def view_from_query(params: Mapping[str, str | list[str]]) -> tuple[ViewOptions, list[str]]:
    """``hide=data,lr`` or TensorFlow Playground's ``lr_hide=true``; ``present=true``."""
    notices: list[str] = []
    hidden: set[str] = set()

    def value(key: str) -> str:
        raw = params[key]
        return (raw[-1] if raw else "") if isinstance(raw, list) else str(raw)

    if "hide" in params:
        for name in filter(None, (p.strip().lower() for p in value("hide")[:500].split(","))):
            if name in SECTIONS:
                hidden.update(SECTIONS[name])
            elif name in HIDEABLE:
                hidden.add(name)
            else:
                notices.append(
                    f"Ignored hide={clip(name, 40)!r} from the link: not a control name."
                )
    for key in params:
        if key.endswith("_hide") and key[:-5] in HIDEABLE:
            try:
                if _bool(value(key)):
                    hidden.add(key[:-5])
            except ValueError:
                notices.append(
                    f"Ignored {key}={clip(value(key), 40)!r} from the link (true or false)."
                )
    present = False
    if "present" in params:
        try:
            present = _bool(value("present"))
        except ValueError:
            notices.append("Ignored present= from the link (expected true or false).")
    return ViewOptions(frozenset(hidden), present), notices
