"""The XOR network (lecture §I.B, Example 1, Fig. 5): the diagram, the table computed live, a
weight editor, the output over the plane, and training runs. Numbers come from the engine
through ``ui.lecture.xor``; this page only lays them out."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from playground.presets import lecture_xor_inputs
from ui.figures.present import in_rows, short_labels
from ui.figures.xor import (
    runs_cost_figure,
    unit_maps_figure,
    xor_diagram,
    xor_output_figure,
)
from ui.lecture import xor as xl
from ui.notation import activation_name
from ui.user_text import literal
from ui.web.lecture import chart

S = st.session_state
KEPT_RUNS = 3  # earlier runs drawn under the latest cost curve
INPUTS = ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
WRONG = "background-color: #f8d4b4; font-weight: 700"  # a³₁ on the wrong side of XOR


def numbers(frame, *, index: bool = True, wrong=None) -> None:
    """A static table of numbers, three significant digits, in the page's font; ``wrong``
    (one flag per row) marks the a³₁ cells that are on the wrong side."""
    styler = (
        frame.style.format(lambda v: f"{v + 0.0:.3g}")
        .set_properties(**{"font-size": "1.15rem"})
        .set_table_styles([{"selector": "th", "props": [("font-size", "1.1rem")]}])
    )
    if wrong is not None:
        styler = styler.apply(
            lambda col: [WRONG if w else "" for w in wrong], subset=["a³₁"], axis=0
        )
    st.table(styler.hide(axis="index") if not index else styler)


# ---------------------------------------------------------------------------------------------
# State: the last valid weights (what every picture shows), the weight inputs, the runs.
# One number input per weight and bias: a fixed set of widgets whose size no client can grow
# (a data editor applied a forged message's added rows, at a cost that grows with them;
# benchmarks/README.md).


def cell_key(l: int, j: int, column: str) -> str:
    return f"xor_cell_{l}_{j}_{column}"


def put(params: xl.Params) -> None:
    """Show ``params`` in the weight inputs (callbacks and the first run only)."""
    for l, frame in xl.editor_frames(params).items():
        for j in range(frame.shape[0]):
            for column in frame.columns:
                S[cell_key(l, j, column)] = float(frame[column].iloc[j])


if "xor_params" not in S:
    S.xor_params = xl.lecture_params()
    S.xor_runs = []
    put(S.xor_params)


def restore() -> None:
    S.xor_params = xl.lecture_params()
    put(S.xor_params)


def load_trained() -> None:
    S.xor_params = xl.params_of(S.xor_runs[-1].net)
    put(S.xor_params)


def clear_runs() -> None:
    S.xor_runs = []


# ---------------------------------------------------------------------------------------------
st.title("The XOR network")
st.caption("Lecture 4, §I.B, Example 1 and Fig. 5: one hidden layer is enough for XOR.")
st.markdown(
    "One neuron draws one straight line, and no line separates XOR (see **One neuron**). "
    "Fig. 5 uses two hidden neurons instead. Its inputs are $x_1$, $x_2$ and a constant $1$ "
    "(which does the job of a bias); every neuron uses ReLU, $\\sigma(z) = \\max(0, z)$; each "
    "layer computes $z^l = w^l a^{l-1} + b^l$ and $a^l = \\sigma(z^l)$; all biases $b^l_j$ are 0."
)

st.header("Fig. 5, computed live", divider="gray")
row: int = st.radio(
    "Show the values for the input $(x_1, x_2)$ =",
    range(4),
    format_func=lambda i: INPUTS[i],
    horizontal=True,
    key="xor_row",
)
row = row if row in range(len(INPUTS)) else 0  # a forged index shows the first row
diagram_area = st.container()  # drawn after the editor ran, so it shows the edited weights
left, right = st.columns([1, 1.15], gap="large")
with right:
    st.markdown(
        "**Change any weight**: type a number or use − and +; everything on the page follows. "
        "Row $j$ is neuron $j$; $w^l_{jk}$ comes from neuron $k$ of the layer before."
    )
    edited = {}
    for l, frame in xl.editor_frames(xl.lecture_params()).items():  # the shape and the names
        labels = xl.column_labels(l)
        st.markdown(f"Layer {l}")
        values = []
        for j, name in enumerate(frame.index):
            cells = st.columns([0.7] + [1] * len(labels), vertical_alignment="bottom")
            cells[0].markdown(f"**{name}**")
            values.append(
                [
                    cells[c + 1].number_input(
                        label,
                        -xl.MAX_WEIGHT,
                        xl.MAX_WEIGHT,
                        step=0.1,
                        format="%g",
                        key=cell_key(l, j, column),
                        label_visibility="visible" if j == 0 else "collapsed",
                    )
                    for c, (column, label) in enumerate(labels.items())
                ]
            )
        edited[l] = pd.DataFrame(values, index=frame.index, columns=list(labels))
    try:
        S.xor_params = xl.parse_editor(edited)
    except xl.WeightError as err:
        st.error(
            "**These weights cannot be used**, so the page still shows the last valid ones:\n\n"
            + "\n".join(f"- {literal(p)}" for p in err.problems),
            icon=":material/error:",
        )
    st.button(
        "Restore the lecture's weights",
        key="xor_restore",
        on_click=restore,
        icon=":material/restart_alt:",
        help="Fig. 5: w² = [[1, 1, 0], [1, 1, −1]], w³ = [[1, −2]], every bias 0.",
    )
    st.caption("Ideas: set $w^3_{12} = -1$, or $w^2_{23} = -1.5$, and watch the last row.")

net = xl.network(S.xor_params)
table = xl.xor_table(net)
with left:
    st.markdown(
        "**The lecture's table**, computed by feeding each input forward through the network:"
    )
    numbers(table, index=False, wrong=xl.wrong_side(net, table))
    if xl.same_params(S.xor_params, xl.lecture_params()):
        st.success(
            "The lecture's weights: $a^3_1$ equals XOR at all four inputs.",
            icon=":material/check_circle:",
        )
    elif (table["a³₁"] == table[xl.TARGET_COLUMN]).all():
        st.success(
            "Edited weights, and $a^3_1$ still equals XOR at all four inputs.",
            icon=":material/check_circle:",
        )
    else:
        st.warning(
            "With these weights $a^3_1$ is no longer XOR at every input.",
            icon=":material/warning:",
        )

with diagram_area:
    r = table.iloc[row]
    values = {1: (r["x₁"], r["x₂"], 1.0), 2: (r["a²₁"], r["a²₂"]), 3: (r["a³₁"],)}
    chart(xor_diagram(net, values=values, height=400), "xor_diagram", phone=short_labels)
st.markdown(f"**Worked out for $(x_1, x_2) = {INPUTS[row]}$**, as the lecture does for (0, 0):")
st.latex(xl.worked_latex(net, row))

# ---------------------------------------------------------------------------------------------
st.header("Over the whole plane", divider="gray")
planes = xl.planes(net)
points = lecture_xor_inputs()[:2]
classes = table[xl.TARGET_COLUMN].to_numpy()
left, right = st.columns([1, 1], gap="large")
with left:
    st.markdown("**The output $a^3_1$** at every $(x_1, x_2)$ in $[-0.5, 1.5]^2$")
    chart(
        xor_output_figure(
            a_out=planes.a[3][0],
            z_hidden=planes.z[2],
            extent=planes.extent,
            value_range=net.act[3].targets,
            points_x=points,
            points_class=classes,
            point_values=table["a³₁"].to_numpy(),
            height=470,
        ),
        "xor_output",
    )
with right:
    st.markdown(
        "**Two half-planes make XOR.** Each hidden neuron is a *ramp*: $a^2_j = 0$ on one side "
        "of its line $z^2_j = 0$ and growing steadily on the other. With the lecture's weights "
        "both ramps rise in the same direction, towards larger $x_1 + x_2$, but $a^2_2$ "
        "starts one unit later."
    )
    st.markdown(
        "The output adds the first ramp and subtracts the second twice, $z^3_1 = a^2_1 - "
        "2a^2_2$: it climbs to 1 between the two lines and is pushed back down to 0 beyond "
        "the second. So (0, 1) and (1, 0) sit on the ridge, while (0, 0) and (1, 1) sit on "
        "the flat, exactly the XOR pattern that no single line could produce."
    )
    st.caption("Values of $a^3_1$ above 1 would be drawn in the darkest blue; hover for numbers.")
st.markdown(
    "**What each neuron computes** over the plane (white = 0, blue = positive; dashed: the "
    "hidden neuron's line $z^2_j = 0$). The numbers at the four points are the table's columns."
)
chart(
    unit_maps_figure(
        maps=[planes.a[2][0], planes.a[2][1], planes.a[3][0]],
        zero_lines=[planes.z[2][0], planes.z[2][1], None],
        titles=["hidden neuron a²₁", "hidden neuron a²₂", "output a³₁"],
        extent=planes.extent,
        points_x=points,
        points_class=classes,
        point_values=[table["a²₁"], table["a²₂"], table["a³₁"]],
        height=380,
    ),
    "xor_units",
    phone=partial(in_rows, cols=1),
)

# ---------------------------------------------------------------------------------------------
st.header("Train it", divider="gray")
st.markdown(
    "Gradient descent on the four inputs of the table: cost $C$ of eq. (2), updates (24) and "
    "(25). Start from the weights above, from small random weights (the lecture's advice), or "
    "from identical weights (zeros, or all equal), and try another activation."
)
c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
c1.selectbox(
    "Activation σ (every layer)",
    xl.TRAIN_ACTIVATIONS,
    key="xor_act",
    format_func=lambda a: activation_name(a) + (" (the lecture's)" if a == "relu" else ""),
)
c2.select_slider("Learning rate α", xl.LEARNING_RATES, value=0.1, key="xor_alpha")
c3.selectbox("Steps", xl.STEP_CHOICES, index=2, key="xor_steps")
c4.number_input("Seed (random start)", 0, 999, 1, key="xor_seed")


def train(start: str) -> None:
    # from the widgets' state, which a click may bring together with a new value; each value
    # is one the widget offers (a forged one could ask for a billion steps): else the default
    def offered(key: str, options, default):
        return S.get(key) if S.get(key) in options else default

    run = xl.train_xor(
        start=start,
        activation=offered("xor_act", xl.TRAIN_ACTIVATIONS, "relu"),
        params=S.xor_params,
        learning_rate=offered("xor_alpha", xl.LEARNING_RATES, 0.1),
        steps=offered("xor_steps", xl.STEP_CHOICES, xl.STEP_CHOICES[2]),
        seed=int(offered("xor_seed", range(1000), 1)),
    )
    S.xor_runs = [*S.xor_runs[-KEPT_RUNS:], run]


buttons = st.container(horizontal=True)
for start, label, kind in (
    ("here", "Train from here", "primary"),
    ("random", "Train from random initialisation", "secondary"),
    ("zeros", "Train from zero initialisation", "secondary"),
    ("equal", f"Train from equal weights ({xl.EQUAL_START:g})", "secondary"),
):
    buttons.button(label, key=f"xor_train_{start}", type=kind, on_click=train, args=(start,))
buttons.button("Clear the runs", key="xor_clear", on_click=clear_runs)


ICONS = {
    "error": ":material/error:",
    "frozen": ":material/block:",
    "symmetry": ":material/compare_arrows:",
    "success": ":material/check_circle:",
    "warning": ":material/warning:",
    "done": ":material/target:",
}
SHOW = {"error": st.error, "success": st.success, "warning": st.warning}


def explain(run: xl.XorRun) -> None:
    """What the student should notice about this run (the words come from ``xl.run_notes``)."""
    for kind, text in xl.run_notes(run):
        SHOW.get(kind, st.info)(text, icon=ICONS[kind])


runs: list[xl.XorRun] = S.xor_runs
if runs:
    run = runs[-1]
    t, h = run.trainer, run.trainer.history
    st.subheader(f"Latest run: {xl.STARTS[run.start]}, {activation_name(run.activation)}")
    m = st.columns(4)
    m[0].metric("Steps", f"{t.steps:,}")
    m[1].metric("C at the start", f"{h.column('cost_train')[0]:.4f}")
    m[2].metric("C now", f"{t.metrics['cost_train']:.4f}")
    m[3].metric("Accuracy", f"{100 * t.metrics['acc_train']:.0f} %")
    explain(run)
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown("**Cost $C$ after each step** (earlier runs: grey, dashed)")
        history = [
            {
                "label": r.label,
                "steps": r.trainer.history.column("step"),
                "cost_train": r.trainer.history.column("cost_train"),
            }
            for r in runs
        ]
        chart(
            runs_cost_figure(history, height=300),
            "xor_cost",
        )
    with right:
        st.markdown("**The table of the trained network**")
        trained_table = xl.xor_table(run.net)
        numbers(trained_table, index=False, wrong=xl.wrong_side(run.net, trained_table))
    st.markdown("**The two hidden neurons side by side**: the weights each receives and sends")
    numbers(xl.hidden_units(run.net))
    st.markdown("**The trained network**")
    chart(xor_diagram(run.net, height=380), "xor_trained_diagram")
    if run.activation == "relu":
        st.button(
            "Put the trained weights into the editor",
            key="xor_load",
            on_click=load_trained,
            icon=":material/upload:",
            help="The diagram, the table and the pictures at the top then show this network.",
        )
    else:
        st.caption(
            "The editor's network uses ReLU, so weights trained with "
            f"{activation_name(run.activation)} are not copied there."
        )
