"""Backpropagation, step by step (lecture §I.C–D): the algorithm's steps 1)–5) with every number.

The page only displays: ``ui.lecture.backprop`` keeps the network and the steps taken (one
``Lab`` per browser tab in ``st.session_state.bp_lab``), ``ui.lecture.ledger`` arranges the
engine's numbers into tables and ``ui.lecture.worked`` writes one entry of each step with its
numbers.
"""

from __future__ import annotations

import streamlit as st

from playground.activations import get_activation
from playground.gradcheck import DEFAULT_EPS
from ui.figures.curves import cost_figure
from ui.lecture import ledger, worked
from ui.lecture.backprop import (
    ACTIVATIONS,
    LEARNING_RATES,
    NETWORKS,
    SEED_MAX,
    Lab,
    UnavailableError,
    build_problem,
    problem_key,
)
from ui.web.lecture import by_layer, chart, derivation, eq_no, step, table, worked_out

S = st.session_state

OUTPUT_CHAIN = (
    "By the definition (5), then the chain rule over every output $a^L_k$ (7). Only $a^L_j$ "
    "depends on $z^L_j$, so every other term is 0 (8); and $\\partial a^L_j/\\partial "
    "z^L_j = \\sigma'(z^L_j)$ (9). Written for all $j$ at once, that is (10)."
)
HIDDEN_CHAIN = (
    "By the definition (11), then the chain rule through every $z^{l+1}_k$ of the next layer "
    "(12); the factors swapped, the first is $\\delta^{l+1}_k$ (13). $z^{l+1}_k$ depends on "
    "$z^l_j$ through $a^l_j = \\sigma(z^l_j)$ (14), so its slope is $w^{l+1}_{kj}\\,"
    "\\sigma'(z^l_j)$ (15). Put back, that is (16); written for all $j$ at once, (17)."
)


def on_apply() -> None:
    if not S.bp_lab.apply(S.bp_alpha):
        S.bp_error = (
            f"With α = {S.bp_alpha:g} this update would make a weight infinite, so nothing was "
            "changed. Choose a smaller learning rate."
        )


def on_start_over() -> None:
    S.bp_lab.start_over()


# ---------------------------------------------------------------------------- choices
st.title("Backpropagation, step by step")
st.caption(
    "One gradient-descent step of lecture 4, §I.C–D, in the order of its algorithm 1)–5), "
    "each equation beside its numbers. Choose the network, the data and α in the sidebar."
)

with st.sidebar:
    st.header("Network")
    st.radio(
        "Network",
        list(NETWORKS),
        index=1,
        format_func=NETWORKS.get,
        key="bp_network",
        persist_state="session",
    )
    own = S.bp_network in ("2-2-1", "2-3-2")
    st.selectbox(
        "Activation σ (every layer)",
        ACTIVATIONS,
        format_func=lambda name: get_activation(name).label,
        key="bp_act",
        persist_state="session",
        disabled=not own,
    )
    st.number_input(
        "Seed for the first weights",
        0,
        SEED_MAX,
        key="bp_seed",
        persist_state="session",
        disabled=not own,
    )

choice = {"activation": S.bp_act, "seed": int(S.bp_seed), "playground": S.get("exp")}
key = problem_key(S.bp_network, **choice)
if S.get("bp_lab") is None or S.bp_lab.problem.key != key:
    try:
        S.bp_lab = Lab(build_problem(S.bp_network, **choice))
    except UnavailableError as why:
        S.bp_lab = None
        st.warning(str(why), icon="🔎")
        st.stop()
lab: Lab = S.bp_lab
problem = lab.problem
n_examples = problem.x.shape[1]

with st.sidebar:
    st.header("Data")
    st.radio(
        "Compute on",
        ["one", "batch"],
        key="bp_data",
        persist_state="session",
        format_func={"one": "one example", "batch": f"all {n_examples} examples"}.get,
        horizontal=True,
    )
    example = None  # the whole batch
    if S.bp_data == "one":
        # The labels name the network's own examples, so another network's choice never
        # lingers; the default is the second example ((0, 0) zeroes every input's gradient).
        labels = [
            f"{i + 1}: {name},  y = " + ", ".join(f"{v:g}" for v in problem.y[:, i])
            for i, name in enumerate(problem.example_names)
        ]
        if S.get("bp_example") not in labels:
            S.bp_example = labels[lab.example if lab.example is not None else 1 % n_examples]
        st.selectbox("Example", labels, key="bp_example")
        example = labels.index(S.bp_example)
    st.header("Step size")
    st.select_slider(
        "Learning rate α", LEARNING_RATES, value=1.0, key="bp_alpha", persist_state="session"
    )

lab.select(example)
alpha = float(S.bp_alpha)
led = lab.ledger(alpha)
L, single = led.L, led.N == 1

# ---------------------------------------------------------------------------- status
top = st.columns([1.2, 1.3, 2.5], gap="medium", vertical_alignment="top")
with top[1]:
    st.button(
        "Apply this step",
        key="bp_apply",
        type="primary",
        on_click=on_apply,
        disabled=led.new_w is None,
        help="Makes exactly the update shown in 5), then recomputes everything.",
    )
    st.button(
        "Start over",
        key="bp_start_over",
        on_click=on_start_over,
        help="Back to the first weights; the cost history starts again.",
    )
steps, costs = zip(*lab.history, strict=True)
with top[0]:
    st.metric("Steps applied", lab.steps)
    change = f"{costs[-1] - costs[-2]:+.3g} since the last step" if len(costs) > 1 else None
    st.metric(
        f"Cost {led.net.cost.title}", f"{led.g.cost:.4g}", delta=change, delta_color="inverse"
    )
with top[2]:
    fig = cost_figure(steps=list(steps), cost_train=list(costs), height=200)
    fig["data"][0].update(mode="lines+markers", name="C")
    fig["layout"]["showlegend"] = False
    fig["layout"]["xaxis"].update(range=[steps[0], max(steps[-1], steps[0] + 5)], tickformat="d")
    chart(fig, "bp_cost")

st.caption(problem.about)
if error := S.pop("bp_error", None):
    st.error(error, icon="💥")
if S.bp_network == "xor":
    st.info(
        "The lecture's weights already compute XOR exactly, so C = 0, every δ is 0 and a step "
        "changes nothing. Note the ReLU kinks: some z sit exactly at 0, where ReLU'(0) = 0 is "
        "a convention (see the gradient check at the bottom).",
        icon="💡",
    )
elif any(not lab.net.act[l].differentiable for l in range(2, L + 1)):
    st.info(
        "sign'(z) = 0 wherever it is defined, so by (10) and (17) every δ behind a sign layer "
        "is 0 and by (18), (19) so are their gradients: the step cannot change those weights.",
        icon="💡",
    )
if not single:
    st.caption("Choose **one example** in the sidebar to see one entry of each step worked out.")

# ---------------------------------------------------------------------------- 1) forward
box, right = step(
    "1) Forward pass, layer by layer",
    r"\begin{aligned} z^l &= w^l a^{l-1} + b^l \\ a^l &= \sigma(z^l) \end{aligned}",
    f"for $l = 2, \\dots, {L}$, starting from the input $a^1 = x$. The weight from neuron "
    "$k$ of layer $l-1$ to neuron $j$ is $w^l_{jk}$; the other tables have one column per "
    "example.",
    wide=True,
)
with right:
    st.markdown("**Layer 1, the input** $a^1 = x$, and the target $y$")
    table(ledger.inputs_table(led))
    for l in range(2, L + 1):
        st.markdown(f"**Layer {l}** ({'output' if l == L else 'hidden'})")
        cols = st.columns([1, 1.6], gap="medium")
        with cols[0]:
            st.caption(f"$w^{l}$ (row $j$, column $k$) and $b^{l}$")
            table(ledger.weights_table(led, l))
        with cols[1]:
            st.caption(f"$z^{l}$ and $a^{l}$")
            table(ledger.forward_table(led, l))
worked_out(box, worked.forward(led), single=single)

box, right = step(
    f"The cost {led.net.cost.title}",
    led.net.cost.equation + rf" \\ = {worked.num(led.g.cost)}",
    "the average over the $N$ examples of each one's cost $C_x$: how far the output $a^L$ "
    "is from the target $y$."
    + (
        ""
        if led.net.cost.name == "quadratic"
        else " This is the cross-entropy cost, not the lecture's quadratic cost (2): the "
        "Playground network you copied uses it."
    ),
)
with right:
    table(ledger.cost_table(led))

# ---------------------------------------------------------------------------- δ, eq. (5)
with st.container(border=True):
    st.markdown("#### The error δ of a neuron, eq. (5)")
    left, right = st.columns([1.5, 2.5], gap="large")
    left.latex(r"\delta^l_j = \frac{\partial C}{\partial z^l_j}" + eq_no(5))
    right.markdown(
        "$\\delta^l_j$ is the *error* of neuron $j$ in layer $l$: how much the cost $C$ "
        "changes when that neuron's weighted input $z^l_j$ is nudged. Steps 2) and 3) find "
        "every $\\delta^l_j$, from the output layer back; step 4) reads the gradients off "
        "them. The symbol $\\odot$ below is the **element-wise product** of two vectors of "
        "the same length: $(u \\odot v)_j = u_j\\,v_j$, entry by entry (no sum, unlike a "
        "dot product)."
    )

# ---------------------------------------------------------------------------- 2) δ^L
box, right = step(
    "2) The error of the output layer, eq. (10)",
    rf"\begin{{gathered}} \delta^L = \nabla_a C \odot \sigma'(z^L){eq_no(10)} \\"
    rf" \delta^L_j = \frac{{\partial C}}{{\partial a^L_j}}\,\sigma'(z^L_j){eq_no(20)}"
    r" \end{gathered}",
    "(20) is the same equation neuron by neuron, as the algorithm's step 2) writes it. "
    + (
        "With the quadratic cost, $\\nabla_a C = a^L - y$. Each column is one example $x$ "
        "with its own cost $C_x$; the $\\tfrac1N$ of (2) comes in at step 4."
        if led.net.cost.name == "quadratic"
        else "With the cross-entropy cost and a sigmoid output the two factors cancel to "
        "$\\delta^L = a^L - y$ exactly; the engine uses that form."
    ),
)
with right:
    table(ledger.output_delta_table(led))
worked_out(box, worked.output_delta(led), single=single)
derivation(box, "(10)", "(6)–(9)", worked.output_delta_steps(led), OUTPUT_CHAIN, single=single)

# ---------------------------------------------------------------------------- 3) δ^l
box, right = step(
    f"3) Back through the hidden layers, eq. (17), for l = {L - 1}" + (" … 2" if L > 3 else "")
    if L > 2
    else "3) Back through the hidden layers, eq. (17)",
    rf"\begin{{gathered}} \delta^l = \big((w^{{l+1}})^T \delta^{{l+1}}\big) \odot "
    rf"\sigma'(z^l){eq_no(17)} \\ \delta^l_j = \sum_k w^{{l+1}}_{{kj}}\,"
    rf"\delta^{{l+1}}_k\,\sigma'(z^l_j){eq_no(21)} \end{{gathered}}",
    "The error of layer $l+1$ travels back through the transposed weights; then each "
    "neuron's share is multiplied, element by element ($\\odot$), by the slope "
    "$\\sigma'(z^l_j)$ of its activation. (21) is the same neuron by neuron.",
)
with right:
    if L == 2:
        st.markdown("This network has no hidden layer ($L = 2$): nothing to do here.")
    else:
        layers = list(range(L - 1, 1, -1))
        by_layer(layers, L, lambda l: table(ledger.hidden_delta_table(led, l)), stacked=not single)
if L > 2:
    worked_out(box, worked.hidden_delta(led, L - 1), single=single)
    derivation(
        box, "(17)", "(11)–(16)", worked.hidden_delta_steps(led, L - 1), HIDDEN_CHAIN, single=single
    )

# ---------------------------------------------------------------------------- 4) gradients
box, right = step(
    "4) The gradients, eqs. (18) and (19)",
    rf"\begin{{gathered}} \frac{{\partial C}}{{\partial w^l_{{jk}}}} = \delta^l_j\, "
    rf"a^{{l-1}}_k{eq_no('18), (22')} \\ \frac{{\partial C}}{{\partial b^l_j}} = "
    rf"\delta^l_j{eq_no('19), (23')} \end{{gathered}}",
    "(22) and (23) in the algorithm's summary are the same two equations. "
    + (
        "With one example, $C = C_x$ and there is nothing to average."
        if single
        else "With several examples both are **averaged over the batch**: the cost $C$ is the "
        "mean of the examples' costs $C_x$, and the derivative of a mean is the mean of the "
        "derivatives. Each column is one example's $\\delta^l_j a^{l-1}_k$; the last is the mean."
    ),
    wide=not single,
)
with right:
    by_layer(
        list(range(2, L + 1)),
        L,
        lambda l: table(ledger.gradient_table(led, l), bold=ledger.MEAN_COLUMN),
        stacked=not single,
    )
l_worked = L - 1 if L > 2 else L
worked_out(box, worked.gradient(led, l_worked), single=single)

# ---------------------------------------------------------------------------- 5) update
box, right = step(
    f"5) The update, eqs. (24) and (25), with α = {alpha:g}",
    r"\begin{aligned} w^l_{jk} &\leftarrow w^l_{jk} - \alpha\frac{\partial C}{\partial w^l_{jk}}"
    r" \\ b^l_j &\leftarrow b^l_j - \alpha\frac{\partial C}{\partial b^l_j} \end{aligned}",
    "**Apply this step** (at the top) makes exactly this change.",
)
with right:
    if led.new_w is None:
        st.error(f"With α = {alpha:g} this update would make a weight infinite.", icon="💥")
    by_layer(
        list(range(2, L + 1)), L, lambda l: table(ledger.update_table(led, l), bold=ledger.AFTER)
    )
worked_out(box, worked.update(led, l_worked), single=single)

# ---------------------------------------------------------------------------- gradient check
with st.expander("Check the gradients numerically (central finite differences)"):
    st.latex(
        r"\frac{\partial C}{\partial\theta} \approx "
        r"\frac{C(\theta+\varepsilon) - C(\theta-\varepsilon)}{2\varepsilon},"
        rf"\qquad \varepsilon = {worked.num(DEFAULT_EPS)}"
    )
    rows = ledger.check_gradients(led)
    ok, verdict = ledger.check_verdict(rows)
    (st.success if ok else st.warning)(verdict)
    st.markdown(
        "They can disagree where σ has a corner or a jump: ReLU bends at $z = 0$, where "
        "backprop takes ReLU'(0) = 0 but a nudge of ±ε sees the slope 1 on one side; the sign "
        "function has σ' = 0 everywhere it is defined, yet C jumps when a z crosses 0."
    )
    table(ledger.check_table(rows), **{"relative error": "{:.1e}"})
