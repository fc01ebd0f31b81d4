"""One neuron (lecture §I.A): eq. (1) with live numbers, its line over the plane, Fig. 2, and why
one neuron cannot learn XOR. All numbers come from the engine through ``ui.lecture.neuron``."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from playground import LECTURE_ACTIVATIONS
from ui.figures.activations import activation_figure
from ui.figures.curves import cost_figure
from ui.figures.diagram import weight_diagram
from ui.figures.neuron import neuron_plane_figure
from ui.figures.present import in_rows
from ui.lecture import neuron as nl
from ui.notation import activation_name, number
from ui.web.lecture import chart

S = st.session_state


def remembered(key: str, default):
    """Widgets forget their value when the student visits another page; a shadow copy
    (``keep_<key>``) brings it back."""
    if key not in S:
        S[key] = S.get(f"keep_{key}", default)

    def keep() -> None:
        S[f"keep_{key}"] = S[key]

    return keep


def slider(key: str, label: str, lo: float, hi: float, step: float, help: str) -> float:
    keep = remembered(f"n_{key}", nl.DEFAULT[key])
    return st.slider(label, lo, hi, step=step, key=f"n_{key}", on_change=keep, help=help)


# ---------------------------------------------------------------------------------------------
st.title("One neuron")
st.caption("Lecture 4, §I.A: the single-neuron model, eq. (1), and its activations, Fig. 1–2.")
st.markdown(
    "A neuron multiplies each input $x_i$ by its weight $w_i$, adds the bias $b$, and passes "
    "the total $z$ through an activation function $\\sigma$. Here it has two inputs, so you "
    "can see it as a picture over the $(x_1, x_2)$ plane."
)
st.latex(r"y = \sigma(z), \qquad z = \sum_{i=1}^{k} w_i x_i + b \qquad (1)")

# ---------------------------------------------------------------------------------------------
st.header("Set the weights, watch the line", divider="gray")
controls, picture = st.columns([1, 1.7], gap="large")
with controls:
    keep_act = remembered("n_act", "sigmoid")
    activation = st.selectbox(
        "Activation σ (Fig. 2)",
        LECTURE_ACTIVATIONS,
        key="n_act",
        format_func=activation_name,
        on_change=keep_act,
    )
    lo, hi = nl.WEIGHT_RANGE
    w1 = slider("w1", "Weight $w_1$", lo, hi, 0.1, "How strongly x₁ pushes z up (or down).")
    w2 = slider("w2", "Weight $w_2$", lo, hi, 0.1, "How strongly x₂ pushes z up (or down).")
    b = slider("b", "Bias $b$", lo, hi, 0.1, "Shifts the line without turning it.")
    st.markdown("**Your point** (the ★ in the picture)")
    lo, hi = nl.INPUT_RANGE
    x1 = slider("x1", "Input $x_1$", lo, hi, 0.05, "First coordinate of the ★.")
    x2 = slider("x2", "Input $x_2$", lo, hi, 0.05, "Second coordinate of the ★.")

params = {"w1": w1, "w2": w2, "b": b}
net = nl.neuron(activation, w1, w2, b)
point = nl.at_point(net, x1, x2)
check = nl.xor_check(net)
plane = nl.plane(net)

with picture:
    st.markdown(
        f"**The neuron's output $y$ over the plane** ({activation_name(activation)})",
        help="Colour = y at each point (blue: the larger target, orange: the smaller). "
        "The dashed line is where y crosses halfway between the two targets, the rule that "
        "counts a point as answered 1 or 0. The circles are the four XOR points of Fig. 4.",
    )
    chart(
        neuron_plane_figure(
            y=plane.y,
            z=plane.z,
            extent=plane.extent,
            value_range=nl.value_range(activation),
            points_x=check.x,
            points_class=check.classes,
            picked=(x1, x2),
            missed=~check.correct,
            line_z=nl.decision_z(activation),
        ),
        "n_plane",
    )
    if activation == "relu":
        st.caption("ReLU has no upper limit: values above 1 are drawn in the darkest blue.")

st.markdown("**Eq. (1) at your point**, with the numbers the neuron uses:")
st.latex(nl.equation_latex(activation, params, point))
line_z = nl.decision_z(activation)
t = nl.threshold(activation)
st.markdown(
    f"A point counts as answered 1 when $y > {t:g}$, halfway between the targets "
    f"{nl.value_range(activation)[0]:g} and {nl.value_range(activation)[1]:g}. "
    + (
        f"For ReLU that is where $z > {line_z:g}$ ($\\max(0, z)$ is 0 for every $z \\le 0$, "
        "so the line $z = 0$ is not where its answer changes). "
        if activation == "relu"
        else ""
    )
    + f"Every point on the dashed line has $z = {line_z:g}$. On one side $z$ is larger, on "
    "the other smaller, and $\\sigma$ never decreases, so **one neuron always splits the "
    "plane with a straight line**. Whatever $w_1, w_2, b$ you pick, it can only say *which "
    "side of the line* a point is on."
)

st.info(
    f"**XOR points on the correct side of the line: {check.n_correct} of 4.** "
    "Try to get all four: blue (XOR = 1) at (0, 1) and (1, 0), orange (XOR = 0) at (0, 0) "
    "and (1, 1). You cannot — no straight line has the two blue points on one side and the "
    "two orange points on the other.",
    icon=":material/target:",
)

with st.expander("The neuron as a diagram (Fig. 1)", expanded=False):
    st.caption("The bias b is drawn as the weight of a constant input 1, as Fig. 5 does.")
    chart(
        weight_diagram(
            layers=[["x₁", "x₂", "1"], ["σ"]],
            w={2: [[w1, w2, b]]},
            edge_names={(2, 0, 0): "w₁", (2, 0, 1): "w₂", (2, 0, 2): "b"},
            notes={
                (1, 0): f"x₁ = {number(x1)}",
                (1, 1): f"x₂ = {number(x2)}",
                (2, 0): f"z = {number(point.z)}<br><b>y = {number(point.y)}</b>",
            },
            layer_titles=["inputs", f"neuron ({activation_name(activation)})"],
            height=300,
        ),
        "n_diagram",
    )

# ---------------------------------------------------------------------------------------------
st.header("The four activations and their slopes (Fig. 2)", divider="gray")
chart(activation_figure(height=330), "n_activations", phone=partial(in_rows, cols=2))
st.caption(
    "Solid: σ(z). Dashed: its derivative σ'(z), the slope that gradient descent follows. "
    "Sigmoid and tanh are smooth versions of the sign's step, so they have a slope; ReLU's "
    "slope is 1 where z > 0 and 0 elsewhere."
)
st.info(
    "**The sign function is flat on both sides of its jump, so σ'(z) = 0.** Backpropagation "
    "multiplies every error δ by σ'(z), eqs. (10) and (17), so with sign no gradient gets "
    "through: the weights of a sign neuron, and of every layer before it, never change. "
    "Try it below: train with sign and the cost curve stays flat.",
    icon=":material/block:",
)

# ---------------------------------------------------------------------------------------------
st.header("Train this neuron on the XOR points", divider="gray")
st.markdown(
    "Now let gradient descent look for the weights: each step moves $w_1, w_2, b$ against "
    "the gradient of the cost $C$ of eq. (2), by (24) and (25). If some line could separate "
    "XOR, training would find it and $C$ would fall towards 0."
)
c1, c2, c3 = st.columns(3, vertical_alignment="bottom", gap="medium")
c1.selectbox(
    "Activation", LECTURE_ACTIVATIONS, index=0, key="n_train_act", format_func=activation_name
)
c2.select_slider("Learning rate α", nl.LEARNING_RATES, value=1.0, key="n_alpha")
steps = c3.selectbox("Steps", nl.STEP_CHOICES, index=1, key="n_steps")
c1, c2, c3 = st.columns(3, vertical_alignment="bottom", gap="medium")
c1.radio(
    "Start from",
    ["random weights", "the sliders above"],
    key="n_start",
    horizontal=True,
)
c2.number_input(
    "Seed for random weights",
    0,
    999,
    0,
    key="n_seed",
    help="Random starting weights are drawn from N(0, 1) with this seed.",
)


def train() -> None:
    # Callbacks read the widgets' state, not this run's variables: a click may arrive together
    # with a change of another widget, and the state is what the student set.
    S.n_run = nl.train_on_xor(
        S.n_train_act,
        start={k: S[f"n_{k}"] for k in ("w1", "w2", "b")}
        if S.n_start == "the sliders above"
        else None,
        seed=int(S.n_seed),
        learning_rate=S.n_alpha,
        steps=S.n_steps,
    )
    S.pop("n_starts", None)


def show_on_sliders() -> None:
    for key, value in nl.params_of(S.n_run.net).items():
        lo, hi = nl.WEIGHT_RANGE
        S[f"n_{key}"] = S[f"keep_n_{key}"] = round(min(max(value, lo), hi), 1) + 0.0
    S.n_act = S.keep_n_act = S.n_run.activation


def many_starts() -> None:
    act, alpha, steps = S.n_train_act, S.n_alpha, S.n_steps
    table = nl.random_starts(act, seeds=range(10), learning_rate=alpha, steps=steps)
    S.n_starts = (table, f"{activation_name(act)}, {steps} steps each, α = {alpha:g}")


buttons = st.container(horizontal=True)
buttons.button(f"Train {steps} steps", key="n_train", type="primary", on_click=train)
buttons.button(
    "Train from 10 random starts",
    key="n_many",
    on_click=many_starts,
    help="Seeds 0 … 9, the same α and number of steps.",
)

run: nl.NeuronRun | None = S.get("n_run")
if run is not None:
    t, result = run.trainer, run.check
    h = t.history
    st.subheader(
        f"After {t.steps} steps ({activation_name(run.activation)}, α = {t.learning_rate:g})"
    )
    if t.divergence is not None:
        st.error(t.divergence.message, icon=":material/error:")
    m = st.columns(4)
    m[0].metric("C at the start", f"{h.column('cost_train')[0]:.4f}")
    m[1].metric("C now", f"{result.cost:.4f}")
    m[2].metric("Points on the correct side", f"{result.n_correct} of 4")
    m[3].metric(
        "Points on the fence",
        f"{result.n_fence} of 4",
        help=f"The output is within {nl.FENCE:.0%} of halfway between the two targets: "
        "the neuron gives no answer there.",
    )
    left, right_col = st.columns([1.2, 1], gap="large")
    with left:
        trained = nl.plane(run.net)
        st.markdown("**The trained neuron's output and line**")
        chart(
            neuron_plane_figure(
                y=trained.y,
                z=trained.z,
                extent=trained.extent,
                value_range=nl.value_range(run.activation),
                points_x=result.x,
                points_class=result.classes,
                missed=~result.correct,
                line_z=nl.decision_z(run.activation),
                height=400,
            ),
            "n_trained_plane",
        )
    with right_col:
        st.markdown("**Cost $C$, eq. (2), after each step**")
        chart(
            cost_figure(steps=h.column("step"), cost_train=h.column("cost_train"), height=260),
            "n_cost",
        )
        outputs = pd.DataFrame(
            {
                "x₁": result.x[0],
                "x₂": result.x[1],
                "XOR": result.classes,
                "y after training": result.output,
                "verdict": result.verdicts(),
            }
        )
        st.table(
            outputs.style.format({c: "{:.3g}" for c in outputs.columns[:4]})
            .set_properties(**{"font-size": "1.1rem"})
            .hide(axis="index")
        )
    if run.activation == "sign":
        st.info(
            "**With sign nothing moved**: σ'(z) = 0, so every gradient is 0 and the cost "
            "curve is flat. The other activations do move, but none of them gets past XOR.",
            icon=":material/block:",
        )
    missed = 4 - result.n_correct
    head = (
        "None of the four points is answered correctly."
        if missed == 4
        else f"{missed} of the 4 points {'is' if missed == 1 else 'are'} not answered correctly."
    )
    st.warning(
        f"**{head}** "
        "The cost levels off (the curve goes flat) far above 0. A single line gets at most "
        "three XOR points right, and with the quadratic cost gradient descent often does "
        "even less: it settles on the fence, y ≈ halfway at all four points, where C = 1/8 "
        "for sigmoid (1/2 for tanh). No α, number of steps or start changes this: XOR needs "
        "two lines. That is why networks have hidden layers — see **The XOR network**.",
        icon=":material/block:",
    )
    st.button(
        "Put the trained weights on the sliders",
        key="n_to_sliders",
        on_click=show_on_sliders,
        help="Rounded to one decimal, within the sliders' range.",
    )

if "n_starts" in S:
    table, settings = S.n_starts
    st.markdown(f"**10 random starts** ({settings}):")
    st.dataframe(table, key="n_starts_table")
    best = int(table["points right (of 4)"].max())
    fence = int((table["on the fence"] == 4).sum())
    st.caption(
        f"The best of the ten ends with {best} of 4 points right; none gets all four. "
        f"{fence} of the ten end on the fence at all four points: the neuron gives up and "
        "answers halfway everywhere."
    )
