"""The XOR network of Example 1 (Fig. 5) for "The XOR network" page: no streamlit, no own maths.

What the page shows, computed by the engine (``playground.presets.lecture_xor``, a 3-2-1 ReLU
network fed (x₁, x₂, 1)): the lecture's table a²₁, a²₂, a³₁ for the four inputs, the same values
over the whole input plane, the lecture's worked line for one input, and training runs.

Parameters travel as ``Params = (w, b)``, dicts over l = 2, 3 as ``Network.set_params`` takes
them. The editor shows them as two tables, one row per neuron j: w^l_jk across, then b^l_j;
``parse_editor`` turns edited tables back into Params or says precisely what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playground import Network, Trainer, encode_targets, get_activation
from playground.datasets import lecture_xor_points
from playground.init import EQUAL_VALUE
from playground.presets import lecture_xor, lecture_xor_inputs, with_constant_input
from ui.config import learning_rates
from ui.figures.boundary import GRID, XOR_EXTENT, plane_grid
from ui.notation import (
    latex_factor,
    latex_number,
    latex_symbol,
    sigma_latex,
    sub,
    sup,
    symbol,
    weight_name,
)

Params = tuple[dict[int, np.ndarray], dict[int, np.ndarray]]

MAX_WEIGHT = 100.0  # |w|, |b| allowed in the editor
INPUT_NAMES = ("x₁", "x₂", "1")
SIZES = (3, 2, 1)
TABLE_COLUMNS = ("x₁", "x₂", "a²₁", "a²₂", "a³₁")
TARGET_COLUMN = "y = XOR"

# ---------------------------------------------------------------------------------------------
# The network and its table


def lecture_params() -> Params:
    """Fig. 5's weights and its zero biases."""
    net = lecture_xor()
    return _copy_params(net)


def _copy_params(net: Network) -> Params:
    return (
        {l: net.w[l].copy() for l in range(2, net.L + 1)},
        {l: net.b[l].copy() for l in range(2, net.L + 1)},
    )


def params_of(net: Network) -> Params:
    return _copy_params(net)


def network(params: Params, activation: str = "relu") -> Network:
    """Fig. 5's architecture (inputs x₁, x₂, 1; two hidden neurons; one output) with ``params``."""
    net = Network(list(SIZES), activations=activation, init="zeros")
    net.set_params(*params)
    return net


def xor_table(net: Network) -> pd.DataFrame:
    """The lecture's table: x₁, x₂, a²₁, a²₂, a³₁ for the inputs (0,0), (0,1), (1,0), (1,1),
    computed by ``net.feedforward``; plus the target y (XOR as the output activation's
    targets: 0/1 for ReLU and sigmoid, −1/+1 for tanh and sign)."""
    fwd = net.feedforward(lecture_xor_inputs())
    a1, a2, a3 = fwd.a[1], fwd.a[2], fwd.a[3]
    table = pd.DataFrame(
        {
            "x₁": a1[0],
            "x₂": a1[1],
            "a²₁": a2[0],
            "a²₂": a2[1],
            "a³₁": a3[0],
            TARGET_COLUMN: xor_targets(net.activations[-1])[0],
        }
    )
    table.index = pd.RangeIndex(1, len(table) + 1, name="input")
    return table


def wrong_side(net: Network, table: pd.DataFrame) -> np.ndarray:
    """Per row of ``xor_table(net)``: is a³₁ on the other side of the middle of the two targets
    than y (the threshold the trainer's accuracy uses)?"""
    lo, hi = get_activation(net.activations[-1]).targets
    t = (lo + hi) / 2
    return ((table["a³₁"] > t) != (table[TARGET_COLUMN] > t)).to_numpy()


@dataclass(eq=False)
class Planes:
    """Every z^l_j and a^l_j over the input plane, each (ny, nx), row 0 at the bottom."""

    z: dict[int, np.ndarray]  # l -> (K_l, ny, nx)
    a: dict[int, np.ndarray]
    extent: tuple[float, float, float, float]


def planes(net: Network, extent=XOR_EXTENT, grid: int = GRID) -> Planes:
    fwd = net.feedforward(with_constant_input(plane_grid(extent, grid)))
    shape = (grid, grid)
    return Planes(
        {l: z.reshape(-1, *shape) for l, z in fwd.z.items()},
        {l: a.reshape(-1, *shape) for l, a in fwd.a.items() if l > 1},
        extent,
    )


# ---------------------------------------------------------------------------------------------
# The lecture's worked line, for any of the four inputs


def _sum_latex(weights: np.ndarray, inputs: np.ndarray, bias: float) -> str:
    terms = [
        f"{latex_factor(w)}\\cdot {latex_factor(x)}" for w, x in zip(weights, inputs, strict=True)
    ]
    return " + ".join([*terms, latex_factor(bias)])


def worked_latex(net: Network, i: int) -> str:
    """Like the lecture's worked example: a²₁, a²₂ and a³₁ for input i (0-based) of the table,
    each as σ(Σ_k w^l_jk a^{l−1}_k + b^l_j) with the numbers the engine used."""
    x = lecture_xor_inputs()
    if not 0 <= i < x.shape[1]:
        raise ValueError(f"input index must be 0 … {x.shape[1] - 1}, got {i}")
    fwd = net.feedforward(x[:, i : i + 1])
    lines = []
    for l in range(2, net.L + 1):
        name = net.act[l].name
        for j in range(net.sizes[l - 1]):
            inner = _sum_latex(net.w[l][j], fwd.a[l - 1][:, 0], float(net.b[l][j, 0]))
            lines.append(
                rf"{latex_symbol('a', l, j + 1)} &= {sigma_latex(name, inner)}"
                rf" = {sigma_latex(name, float(fwd.z[l][j, 0]))}"
                rf" = \mathbf{{{latex_number(fwd.a[l][j, 0])}}}"
            )
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


# ---------------------------------------------------------------------------------------------
# The weight editor's two tables


def _label(l: int, j: int, k: int | None) -> str:
    """Display name: w^l_jk with 1-based j, k (k=None: the bias b^l_j)."""
    return weight_name(l, j, k) if k is not None else symbol("b", l, j)


#: Column keys of the editor tables: ("w", k) for w^l_jk, ("b", None) for b^l_j.
EDITOR_COLUMNS = {
    2: [("w1", 1), ("w2", 2), ("w3", 3), ("b", None)],
    3: [("w1", 1), ("w2", 2), ("b", None)],
}
FROM = {2: ("x₁", "x₂", "1"), 3: ("a²₁", "a²₂")}
ROW_NAMES = {2: ["a²₁", "a²₂"], 3: ["a³₁"]}


def column_labels(l: int) -> dict[str, str]:
    """Editor column key → header, e.g. "w1" → "w²ⱼ₁ (from x₁)", "b" → "b²ⱼ"."""
    out = {}
    for key, k in EDITOR_COLUMNS[l]:
        if k is None:
            out[key] = f"b{sup(l)}ⱼ"
        else:
            out[key] = f"w{sup(l)}ⱼ{sub(k)} from {FROM[l][k - 1]}"
    return out


def editor_frames(params: Params) -> dict[int, pd.DataFrame]:
    """One table per layer l = 2, 3: a row per neuron j, the columns w^l_j1, w^l_j2, …, b^l_j."""
    w, b = params
    frames = {}
    for l, cols in EDITOR_COLUMNS.items():
        data = {
            key: (b[l][:, 0] if k is None else w[l][:, k - 1]).astype(np.float64) for key, k in cols
        }
        frames[l] = pd.DataFrame(data, index=ROW_NAMES[l])
    return frames


class WeightError(ValueError):
    """Edited weights that cannot be used; ``problems`` lists each bad cell in words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return v


def parse_editor(frames: dict[int, pd.DataFrame]) -> Params:
    """The weights in the edited tables, or WeightError naming every cell that is not a finite
    number within ±MAX_WEIGHT."""
    w: dict[int, np.ndarray] = {}
    b: dict[int, np.ndarray] = {}
    problems: list[str] = []
    for l, cols in EDITOR_COLUMNS.items():
        K, Kp = SIZES[l - 1], SIZES[l - 2]
        frame = frames.get(l)
        if frame is None or frame.shape != (K, len(cols)):
            got = None if frame is None else frame.shape
            raise WeightError(
                [f"the layer-{l} table must have {K} rows, {len(cols)} columns; got {got}"]
            )
        w[l], b[l] = np.zeros((K, Kp)), np.zeros((K, 1))
        for j in range(K):
            for c, (_, k) in enumerate(cols):
                raw = frame.iloc[j, c]
                name = _label(l, j + 1, k)
                v = _as_number(raw)
                if v is None or math.isnan(v):
                    problems.append(f"{name} is empty or not a number (got {_show(raw)})")
                elif not math.isfinite(v) or abs(v) > MAX_WEIGHT:
                    problems.append(
                        f"{name} = {_show(raw)} is too large: every weight and bias must lie "
                        f"between −{MAX_WEIGHT:g} and {MAX_WEIGHT:g}"
                    )
                elif k is None:
                    b[l][j, 0] = v
                else:
                    w[l][j, k - 1] = v
    if problems:
        raise WeightError(problems)
    return w, b


def _show(raw: object) -> str:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return "an empty cell"
    text = repr(raw) if isinstance(raw, str) else f"{raw:g}" if isinstance(raw, float) else str(raw)
    return text if len(text) <= 24 else text[:21] + "…"


def same_params(p: Params, q: Params) -> bool:
    return all(np.array_equal(p[i][l], q[i][l]) for i in (0, 1) for l in range(2, len(SIZES) + 1))


# ---------------------------------------------------------------------------------------------
# Training on the four points

STARTS = {
    "here": "from the weights in the editor",
    "random": "from small random weights",
    "zeros": "from all-zero weights",
    "equal": "from equal weights",
}
EQUAL_START = EQUAL_VALUE  # every weight and bias, for the "equal" start (the engine's "equal")
TRAIN_ACTIVATIONS = ("relu", "sigmoid", "tanh", "sign")
LEARNING_RATES = learning_rates(0.01, 1.0)
STEP_CHOICES = (100, 500, 1000, 2000, 5000)


@dataclass(eq=False)
class XorRun:
    """One training run on the four XOR points; ``trainer.net`` is the trained network."""

    start: str
    activation: str
    learning_rate: float
    steps: int
    seed: int
    start_params: Params
    trainer: Trainer

    @property
    def net(self) -> Network:
        return self.trainer.net

    @property
    def label(self) -> str:
        seed = f", seed {self.seed}" if self.start == "random" else ""
        return f"{self.start}{seed}, {self.activation}, α = {self.learning_rate:g}"

    @property
    def moved(self) -> bool:
        """Did any weight or bias change at all?"""
        return not same_params(self.start_params, params_of(self.net))


def xor_targets(activation: str) -> np.ndarray:
    """The XOR classes as the values this output activation is trained towards."""
    return encode_targets(lecture_xor_points().y, get_activation(activation).targets)


def train_xor(
    *,
    start: str,
    activation: str,
    params: Params | None = None,
    learning_rate: float = 0.1,
    steps: int = 1000,
    seed: int = 1,
) -> XorRun:
    """Batch gradient descent, (24) and (25), on the four inputs (x₁, x₂, 1) of the table.

    start: "here" (``params``), "random" (N(0, 0.1²) weights and biases drawn with ``seed``, the
    lecture's "small random value near zero"), "zeros" (every parameter 0) or "equal" (every
    parameter EQUAL_START: the lecture's "identical values", without the standstill of zeros).
    """
    if start not in STARTS:
        raise ValueError(f"unknown start {start!r}; expected one of {list(STARTS)}")
    if start == "here":
        if params is None:
            raise ValueError("start='here' needs params")
        net = network(params, activation)
    else:
        init = {"random": "small", "zeros": "zeros", "equal": "equal"}[start]
        net = Network(list(SIZES), activations=activation, init=init, seed=seed)
    lo, hi = get_activation(activation).targets
    first = params_of(net)
    trainer = Trainer(
        net,
        lecture_xor_inputs(),
        xor_targets(activation),
        learning_rate=learning_rate,
        threshold=(lo + hi) / 2,
        seed=seed,
    )
    trainer.step(steps)
    return XorRun(start, activation, learning_rate, steps, seed, first, trainer)


def hidden_units(net: Network) -> pd.DataFrame:
    """The two hidden neurons side by side: what comes in (w²_j1, w²_j2, w²_j3, b²_j) and what
    goes out (w³_1j), one row per neuron, to compare them."""
    rows = {}
    for j in range(net.sizes[1]):
        row = {f"w²ⱼ{sub(k + 1)} from {INPUT_NAMES[k]}": net.w[2][j, k] for k in range(3)}
        row["b²ⱼ"] = net.b[2][j, 0]
        row["w³₁ⱼ to the output"] = net.w[3][0, j]
        rows[f"hidden neuron {j + 1} (a²{sub(j + 1)})"] = row
    return pd.DataFrame(rows).T


def hidden_units_identical(net: Network) -> bool:
    """True if both hidden neurons have exactly the same weights in and out, and bias."""
    return bool(
        np.array_equal(net.w[2][0], net.w[2][1])
        and net.b[2][0, 0] == net.b[2][1, 0]
        and net.w[3][0, 0] == net.w[3][0, 1]
    )


def run_notes(run: XorRun) -> list[tuple[str, str]]:
    """What a student should notice about a run, as (kind, markdown) pairs; kind is one of
    "error", "frozen", "symmetry", "success", "warning", "done" (the page picks the look)."""
    t = run.trainer
    notes: list[tuple[str, str]] = []
    if t.divergence is not None:
        notes.append(("error", t.divergence.message))
    if run.activation == "sign":
        notes.append(
            (
                "frozen",
                "**Nothing moved.** sign'(z) = 0, so by (10) the output error δ³ is 0, by (17) "
                "so is δ², and by (18), (19) every gradient is 0: the updates (24), (25) "
                "change no weight, and the cost curve is flat.",
            )
        )
    elif run.start in ("zeros", "equal"):
        notes.append(("symmetry", _symmetry_note(run)))
    elif t.metrics["acc_train"] == 1.0:
        notes.append(
            (
                "success",
                "**All four points on the correct side**: XOR learned. Compare the weights "
                "with the lecture's: gradient descent often finds a different solution that "
                "works just as well.",
            )
        )
    elif not run.moved:
        notes.append(
            (
                "frozen",
                "**Nothing moved, although C > 0.** Every gradient is 0 here: a ReLU neuron "
                "with z < 0 at all four inputs outputs 0 and has slope 0, so by (17) no error "
                "reaches it or anything before it.",
            )
        )
    elif run.activation == "relu" and run.start == "random":
        notes.append(
            (
                "warning",
                "**Stuck.** A hidden ReLU neuron often ends up with z < 0 at all four inputs: "
                "it outputs 0 there, its slope ReLU'(z) is 0, so by (17) no error reaches it "
                "and it never recovers (a *dead* neuron). Try another seed, another α, or tanh.",
            )
        )
    else:
        notes.append(
            (
                "warning",
                "**Not all four points yet.** The cost may still be falling (more steps), "
                "crawling over a flat stretch (a larger α), or stuck in a poor local minimum "
                "(another seed).",
            )
        )
    if run.start == "here" and not run.moved and t.metrics["cost_train"] == 0.0:
        notes.append(
            ("done", "Nothing to learn: these weights already give C = 0, so every gradient is 0.")
        )
    return notes


def _symmetry_note(run: XorRun) -> str:
    if not run.moved:
        why = (
            "ReLU'(0) = 0."
            if run.activation == "relu"
            else "the output starts exactly halfway, and XOR's two 0s and two 1s cancel in "
            "the average of (18), (19)."
        )
        how = (
            "In fact nothing moved at all. With w³ = 0 no error gets back to the hidden layer, "
            f"(17), and the output's own gradient is 0 as well: {why} Train from equal weights "
            f"({EQUAL_START:g}) to see them move in step."
        )
    else:
        how = (
            "They started equal, so at every step they received exactly the same gradient, "
            "(17)–(19): they moved, but together, and never became different."
        )
    same = "still identical" if hidden_units_identical(run.net) else "different"
    return (
        f"**The two hidden neurons are {same}** (compare their rows below). {how} Two "
        "identical neurons draw the same line, so the network is no better than one neuron, "
        "and one neuron cannot do XOR. Random starting weights break this symmetry (the "
        "lecture's *symmetry breaking*)."
    )
