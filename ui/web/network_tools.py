"""The network diagram's tools: its view (weights | gradients), the slow-motion Step, and
editing w^l_jk and b^l_j where they are drawn.

- View: ``config.net_view`` (link key ``nview``) picks ``ui.figures.network`` or
  ``ui.figures.gradients``; both are fed from the same frame, so the switch costs no training.
- Slow motion: with the box ticked, a Step click first computes ``Trainer.preview_step()``
  (the very step that follows), then makes the step. The fragment run sends the phases as
  extra frames before the real one: forward 1 → L, backward L → 2 (in the gradients view, the
  step's δ and ∂C/∂w of layers l … L only, as the backward pass reaches layer l), the update;
  the browser plays them at ``SLOW_TOTAL_MS`` in all (``static/live_chart.js``), so no server
  time is spent per phase, and any click on a button (or Skip) shows the last frame, the real
  state, at once.
  Play never uses it.
- Editing: a click on a link or a neuron in the diagram (the chart's "pick" trigger: trace and
  point index of the hovered mark) pauses Play and opens a small dialog with w^l_jk or b^l_j;
  the value is set exactly with ``Trainer.set_weight``/``set_bias`` (the engine's checks:
  finite, |v| ≤ 100, valid indices), every chart is redrawn whole, and a refused value is
  explained without losing anything. Reset keeps the edits only while "Reset keeps my edits" is
  ticked (``Network.keep_as_start``); else it rewinds to the seeded start (``forget_start``).
- Hover: the diagram's figure names its pictures (``layout.meta``), so the browser shows a
  hovered neuron's picture on the output plane without asking the server.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from playground.checks import MAX_EDIT
from playground.metrics import gradient_summary
from ui.config import NET_VIEWS
from ui.experiment import Experiment
from ui.figures import gradients as fig_gradients
from ui.figures import network as fig_network
from ui.notation import human, sup, symbol, weight_name
from ui.user_text import clip

S = st.session_state
SLOW_TOTAL_MS = 700  # a slow-motion Step's phases, all together
HIGHLIGHT_PAD = 0.1  # the highlighted column reaches this far beyond the squares
NET_VIEW_LABELS = {"weights": "weights", "gradients": "gradients"}
HEADINGS = {
    "weights": (
        "**The network**: colour = sign of $w^l_{jk}$, width = its size",
        "Each square shows what that neuron computes over the input plane (white: 0). "
        "Grey stripes: a dead ReLU neuron, 0 at every training point, so its δ is 0 and it "
        "cannot learn. Beside the output: the class each output neuron stands for, in the "
        "shape and colour of its points (with one output, the class above its threshold). "
        "Hover a neuron to see its picture on the plane and b, z, a and δ "
        "(means over the training set); hover a connection for its weight. Click a "
        "connection or a neuron to set its weight or bias.",
    ),
    "gradients": (
        r"**The gradients**: rings = mean $\delta^l_j$ by (10), (17) (= $\partial C/\partial "
        r"b^l_j$, (19)); links = $\partial C/\partial w^l_{jk}$, (18)",
        "Each ring is the error δˡⱼ of that neuron, averaged over the training set: by (19) "
        "it is ∂C/∂bˡⱼ. White: 0; blue > 0, orange < 0, one colour scale for every layer (the "
        "bar on the right). Each link is ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ averaged, eq. (18): blue > 0 "
        "(the step (24) makes the weight smaller), orange < 0, the width its size against the "
        "largest in the network. Above each layer: its largest |δˡⱼ|. Compare them after a "
        "Step to see in which layer the error shrinks on its way back.",
    ),
}


# ---------------------------------------------------------------------------- controls
def heading(exp: Experiment) -> None:
    text, help_text = HEADINGS[exp.config.net_view]
    st.markdown(text, help=help_text)


def view_controls() -> None:
    """The view switch and the slow-motion box, above the diagram."""
    row = st.container(horizontal=True, vertical_alignment="center")
    if S.view.shows("nview"):
        row.segmented_control(
            "The diagram shows",
            list(NET_VIEWS),
            format_func=NET_VIEW_LABELS.get,
            required=True,
            key="c_net_view",
            label_visibility="collapsed",
        )
    row.checkbox(
        "Slow motion",  # no "Step" in it: tests find the Step button by its name
        key="slow_step",
        value=False,
        help="Step then shows the forward pass (layer 1 → L), the backward pass (δᴸ by (10), then "
        "δˡ by (17), L → 2) and the update (24), (25), in under a second; any button or Skip "
        "ends it. Play never goes slowly.",
    )


def edits_row(exp: Experiment) -> None:
    """Below the diagram: the edits made since the start, and whether Reset keeps them."""
    edits = current_edits(exp)
    targets = all_targets(list(exp.net.sizes))
    # the keyboard's way to the editor (and a list of every parameter by its lecture name)
    st.selectbox(
        "Set a weight or a bias",
        targets,
        index=None,
        format_func=lambda t: f"{_name(t)}: {_where(t)}",
        placeholder="Click a connection or a neuron above, or choose one here",
        key="param_pick",
        on_change=_picked_by_name,
        label_visibility="collapsed",
    )
    if not edits and not S.get("keep_edits"):
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    # no help icon: its button would be named "Help for Reset …", a second "Reset" button
    row.checkbox("Reset keeps my edits", key="keep_edits", value=False)
    shown = ", ".join(f"{_name(t)} = {v:g}" for t, v in list(edits.items())[:6])
    more = f" and {len(edits) - 6} more" if len(edits) > 6 else ""
    kept = (
        "Reset rewinds to the first weights with these edits."
        if S.get("keep_edits")
        else "Reset rewinds to the seed's weights and forgets them."
    )
    row.caption(f"Your edits: {shown}{more}. {kept}" if edits else "No edits yet.")


# ---------------------------------------------------------------------------- figures
def network_chart(
    exp: Experiment,
    args: dict[str, Any],
    height: int,
    pictures: Callable[[int], dict[int, np.ndarray]],
) -> tuple[Callable, Callable, int]:
    """(figure, updates, height) of the diagram in the configured view; ``args`` as for
    ``network_update`` (sizes, w, b, neuron_stats, thumb_range, dead); ``pictures(first)`` the
    neurons' pictures of layers first … L (the whole figure has all, a frame layers 2 … L);
    ``height`` the weights view's (the gradients view adds its top labels' margin)."""
    net = exp.net
    common = dict(input_labels=exp.input_labels, activations=list(net.activations), height=height)
    if exp.config.net_view != "gradients":

        def figure():
            fig = fig_network.network_figure(
                **common, thumbnails=pictures(1), **args, **output_classes(exp)
            )
            return decorate(fig, list(net.sizes))

        return figure, lambda: fig_network.network_update(thumbnails=pictures(2), **args), height

    height += fig_gradients.MARGIN_TOP - fig_network.MARGIN["t"]
    common["height"] = height
    summary = gradient_summary(exp.trainer.gradients)
    grads = dict(grad_w=summary.w, delta=summary.delta)

    def gradient_figure():
        fig = fig_gradients.gradient_figure(**common, thumbnails=pictures(1), **args, **grads)
        return decorate(fig, list(net.sizes))

    n_notes = _gradient_notes(exp)

    def updates():
        return fig_gradients.gradient_update(
            thumbnails=pictures(2), **args, **grads, n_annotations=n_notes
        )

    return gradient_figure, updates, height


def output_classes(exp: Experiment) -> dict[str, Any]:
    """What the output neurons stand for, in the weights view of a classifier: the class
    names and the threshold of a single output (``network_figure``'s classes, threshold).
    The gradients view keeps its right margin for its colour bar."""
    threshold = exp.trainer.threshold
    if threshold is None:
        return {}
    return {"classes": exp.class_names, "threshold": threshold}


def _gradient_notes(exp: Experiment) -> int:
    """The gradients view's annotations: layer labels, input names, each layer's largest |δ|."""
    return len(exp.input_labels) + 2 * exp.net.L - 1


def reveal_updates(exp: Experiment, grads, reveal: int) -> dict[int | str, dict]:
    """A slow-motion phase's updates of the gradients view: the step's δ and ∂C/∂w (``grads``,
    a GradientSummary of the step being shown) of layers reveal … L only, the others not yet
    drawn; nothing in the weights view."""
    if exp.config.net_view != "gradients":
        return {}
    net = exp.net
    return fig_gradients.gradient_update(
        sizes=list(net.sizes),
        w=net.w,
        b=net.b,
        grad_w=grads.w,
        delta=grads.delta,
        n_annotations=_gradient_notes(exp),
        reveal_from=reveal,
    )


def decorate(fig: dict[str, Any], sizes: list[int]) -> dict[str, Any]:
    """The diagram as the Playground draws it: no mode bar; ``layout.meta`` names each
    neuron's picture for the browser's hover (shown on the plane); a hidden highlight band
    for the slow-motion Step (the last shape)."""
    index = fig_network.network_trace_index(sizes)
    names = [f"{symbol('a', 1, k + 1)}, input {k + 1}" for k in range(sizes[0])]
    for l in range(2, len(sizes) + 1):
        names += [
            f"{symbol('a', l, j + 1)}: neuron {j + 1} of layer {l}" for j in range(sizes[l - 1])
        ]
    fig["layout"]["meta"] = {
        "pictures": {str(index["input_hover"]): 0, str(index["neuron_hover"]): sizes[0]},
        "names": names,
        "plane": "boundary",
    }
    half = fig_network.DY * (max(sizes) - 1) / 2 + fig_network.SIDE / 2 + HIGHLIGHT_PAD / 2
    fig["layout"]["shapes"] = [
        *fig["layout"].get("shapes", []),
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": 1 - HIGHLIGHT_PAD,
            "x1": 1 + HIGHLIGHT_PAD,
            "y0": -half,
            "y1": half,
            "line": {"width": 0},
            "fillcolor": "rgba(255, 196, 0, 0.3)",
            "layer": "below",
            "visible": False,
        },
    ]
    return {**fig, "config": {"displayModeBar": False}}


def highlight_index(sizes: list[int]) -> int:
    """The highlight band's index in ``layout.shapes``: after the output neurons' frames."""
    return sizes[-1]


# ---------------------------------------------------------------------------- slow motion
FORWARD, BACKWARD, UPDATE = (
    "rgba(255, 196, 0, 0.32)",
    "rgba(214, 60, 60, 0.22)",
    "rgba(40, 160, 90, 0.22)",
)


def before_step(exp: Experiment, numbers_html: Callable[[], str]) -> None:
    """On a Step click with slow motion on (never while playing): keep the phases of the step
    about to be made, from ``Trainer.preview_step()``, for the fragment run to send."""
    S.pop("slowmo", None)
    if not S.get("slow_step") or S.get("playing") or exp.trainer.divergence is not None:
        return
    with np.errstate(all="ignore"):
        preview = exp.trainer.preview_step()
    if not preview.finite:
        return  # the step will diverge: the divergence message says it, without slow motion
    S.slowmo = {
        "phases": phases(exp, preview),
        "html": numbers_html(),
        "grads": gradient_summary(preview.gradients),  # this step's δ and ∂C/∂w (copies)
    }


def phases(exp: Experiment, preview) -> list[dict[str, Any]]:
    """[{"band": (x0, x1), "fill", "text", "reveal"}, ...]: forward 1 → L, backward L → 2, the
    update. "reveal": the first layer whose δ and ∂C/∂w are known by then (L + 1: none yet)."""
    net, g = exp.net, preview.gradients
    L = net.L
    n = "all" if preview.batch is None else f"{len(preview.batch)}"
    out = [
        _phase(
            1,
            1,
            FORWARD,
            f"Forward pass, layer 1: a¹ = x, the inputs ({n} training points).",
            L + 1,  # no δ yet
        )
    ]
    for l in range(2, L + 1):
        act, mean_a = net.activations[l - 2], _values(g.forward.a[l].mean(axis=1))
        out.append(
            _phase(
                l,
                l,
                FORWARD,
                f"Forward pass, layer {l}: z{sup(l)} = w{sup(l)} a{sup(l - 1)} + b{sup(l)}, "
                f"a{sup(l)} = {act}(z{sup(l)}).  Mean a{sup(l)}: {mean_a}",
                L + 1,
            )
        )
    if net.activations[-1] == "softmax":  # no σ′ for (10): δᴸ comes from (7)
        rule = f"δ{sup('L')}ⱼ = Σₖ ∂C/∂a{sup('L')}ₖ ∂a{sup('L')}ₖ/∂z{sup('L')}ⱼ, eq. (7)"
    else:
        rule = f"δ{sup('L')} = ∇ₐC ⊙ σ′(z{sup('L')}), eq. (10)"
    out.append(
        _phase(
            L,
            L,
            BACKWARD,
            f"Backward pass, layer {L}: {rule}.  Mean δ{sup(L)}: {_values(g.b[L][:, 0])}",
            L,
        )
    )
    for l in range(L - 1, 1, -1):
        out.append(
            _phase(
                l,
                l,
                BACKWARD,
                f"Backward pass, layer {l}: δ{sup(l)} = ((w{sup(l + 1)})ᵀ δ{sup(l + 1)}) ⊙ "
                f"σ′(z{sup(l)}), eq. (17).  Mean δ{sup(l)}: {_values(g.b[l][:, 0])}",
                l,
            )
        )
    dw = max(float(np.max(np.abs(preview.w[l] - net.w[l]))) for l in range(2, L + 1))
    db = max(float(np.max(np.abs(preview.b[l] - net.b[l]))) for l in range(2, L + 1))
    out.append(
        {
            "band": (1.5 - HIGHLIGHT_PAD, L + HIGHLIGHT_PAD),
            "fill": UPDATE,
            "text": f"Update: wˡ → wˡ − α ∂C/∂wˡ, eq. (24), and bˡ → bˡ − α ∂C/∂bˡ, eq. (25), "
            f"with α = {preview.learning_rate:g}.  Largest change: |Δw| = {human(dw, '.3g')}, "
            f"|Δb| = {human(db, '.3g')}.",
            "reveal": 2,
        }
    )
    return out


def _phase(l0: int, l1: int, fill: str, text: str, reveal: int) -> dict[str, Any]:
    return {
        "band": (l0 - HIGHLIGHT_PAD - 0.14, l1 + HIGHLIGHT_PAD + 0.14),
        "fill": fill,
        "text": text,
        "reveal": reveal,
    }


def _values(v: np.ndarray, most: int = 4) -> str:
    shown = ", ".join(human(float(x), ".3g") for x in v[:most])
    return f"({shown}{', …' if len(v) > most else ''})"


def slow_frames(
    slowmo: dict[str, Any], sizes: list[int], message: Callable[[dict, int], dict]
) -> list[dict[str, Any]]:
    """The phases as feed frames: the diagram's highlight band moves, a banner says what is
    computed. ``message(relayout, reveal)`` wraps layout changes into the diagram's chart
    message (with, in the gradients view, the δ and ∂C/∂w of layers reveal … L)."""
    i = highlight_index(sizes)
    total = len(slowmo["phases"])
    frames = []
    for n, phase in enumerate(slowmo["phases"], start=1):
        x0, x1 = phase["band"]
        relayout = {
            f"shapes[{i}].visible": True,
            f"shapes[{i}].x0": x0,
            f"shapes[{i}].x1": x1,
            f"shapes[{i}].fillcolor": phase["fill"],
        }
        banner = (
            '<div class="pg-phase" data-testid="pg-phase" role="status" aria-live="polite">'
            f'<span class="pg-phase-count">slow motion {n}/{total}</span> '
            f"{html.escape(phase['text'])} "
            '<button type="button" data-pg-skip="1">Skip</button></div>'
        )
        frames.append(
            {
                "charts": [message(relayout, phase["reveal"])],
                "html": slowmo["html"] + PHASE_CSS + banner,
                "slow": True,
            }
        )
    return frames


def end_of_slow_motion(sizes: list[int]) -> dict[str, Any]:
    """The layout change that hides the band again (sent with the real frame)."""
    return {f"shapes[{highlight_index(sizes)}].visible": False}


# The banner floats over the headings below the numbers: for well under a second, it must not
# push the charts down and back up.
PHASE_CSS = """<style>
.live-feed { position: relative; }
.pg-phase { position: absolute; left: 0; right: 0; z-index: 20; margin-top: -0.3rem;
  padding: 0.35rem 0.7rem; border-left: 4px solid #d9a400; background: #fff8e1;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15); font-size: 0.95rem;
  font-variant-numeric: tabular-nums; }
.pg-phase-count { font-weight: 600; margin-right: 0.4rem; }
.pg-phase button { margin-left: 0.8rem; padding: 0.05rem 0.7rem; border: 1px solid #999;
  border-radius: 0.4rem; background: white; cursor: pointer; }
</style>"""


# ---------------------------------------------------------------------------- editing
Target = tuple  # ("w", l, j, k) or ("b", l, j): 0-based j, k as in net.w[l][j, k]


def on_pick(trace: int, point: int) -> None:
    """A click on the diagram, at point ``point`` of trace ``trace`` (from the browser, so
    checked here): a link or a neuron opens the editor; Play pauses first."""
    exp: Experiment = S.exp
    try:
        target = target_of(list(exp.net.sizes), trace, point)
    except ValueError as e:
        S.draw_message = f"That click on the diagram changed nothing: {clip(e)}."
        return
    S.edit_target = target
    if S.get("playing"):
        S.playing = False
        S.play_generation = S.get("play_generation", 0) + 1


def all_targets(sizes: list[int]) -> list[Target]:
    """Every w^l_jk and b^l_j, layer by layer (each neuron's weights, then its bias)."""
    out: list[Target] = []
    for l in range(2, len(sizes) + 1):
        for j in range(sizes[l - 1]):
            out += [("w", l, j, k) for k in range(sizes[l - 2])]
            out.append(("b", l, j))
    return out


def _picked_by_name() -> None:
    target = S.get("param_pick")
    S.param_pick = None  # the list goes back to its placeholder
    exp: Experiment = S.exp
    if target in all_targets(list(exp.net.sizes)):
        S.edit_target = tuple(target)
        if S.get("playing"):
            S.playing = False
            S.play_generation = S.get("play_generation", 0) + 1


def target_of(sizes: list[int], trace: int, point: int) -> Target:
    """The parameter behind point ``point`` of hover trace ``trace`` of the diagram."""
    index = fig_network.network_trace_index(sizes)
    for name, value in (("trace", trace), ("point", point)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"the {name} must be a whole number ≥ 0, got {value!r:.20}")
    L = len(sizes)
    if trace == index["link_hover"]:
        for l in range(2, L + 1):
            n = sizes[l - 1] * sizes[l - 2]
            if point < n:
                j, k = divmod(point, sizes[l - 2])
                return ("w", l, j, k)
            point -= n
        raise ValueError("no such connection in this network")
    if trace == index["neuron_hover"]:
        for l in range(2, L + 1):
            if point < sizes[l - 1]:
                return ("b", l, point)
            point -= sizes[l - 1]
        raise ValueError("no such neuron in this network")
    if trace == index["input_hover"]:
        raise ValueError("an input neuron only passes its feature on: it has no bias")
    raise ValueError("click a connection or a neuron")


def value_of(exp: Experiment, target: Target) -> float:
    if target[0] == "w":
        _, l, j, k = target
        return float(exp.net.w[l][j, k])
    _, l, j = target
    return float(exp.net.b[l][j, 0])


def _name(target: Target) -> str:
    if target[0] == "w":
        return weight_name(target[1], target[2] + 1, target[3] + 1)
    return symbol("b", target[1], target[2] + 1)


def _where(target: Target) -> str:
    if target[0] == "w":
        _, l, j, k = target
        return f"the connection from neuron {k + 1} of layer {l - 1} to neuron {j + 1} of layer {l}"
    _, l, j = target
    return f"the bias of neuron {j + 1} of layer {l}"


def set_value(exp: Experiment, target: Target, value: object) -> None:
    """Set w^l_jk or b^l_j to ``value`` exactly (the engine checks it: ValueError if not
    allowed) and remember the edit, for Reset."""
    if target[0] == "w":
        _, l, j, k = target
        exp.trainer.set_weight(l, j, k, value)
    else:
        _, l, j = target
        exp.trainer.set_bias(l, j, value)
    if exp.trainer.divergence is not None:
        exp.trainer.resume()  # an edit can bring a diverged run back to finite numbers
    edits = current_edits(exp)
    edits[tuple(target)] = value_of(exp, target)
    S.edits = {"net": exp.net, "items": edits}


def current_edits(exp: Experiment) -> dict[Target, float]:
    """The edits made to this network (a rebuilt network starts without any)."""
    record = S.get("edits")
    if not record or record.get("net") is not exp.net:
        return {}
    return dict(record["items"])


def editor_dialog(exp: Experiment) -> None:
    """The editor, open while a click on the diagram has chosen a parameter (until Set, Cancel
    or the dialog's ×)."""
    target = S.get("edit_target")
    if target is not None:
        _editor(target)


def _close_editor() -> None:
    S.pop("edit_target", None)
    S.pop("_edit_for", None)


@st.dialog("Set a weight or a bias", width="small", on_dismiss=_close_editor)
def _editor(target: Target) -> None:
    exp: Experiment = S.exp
    try:
        current = value_of(exp, target)
    except (IndexError, KeyError, TypeError):
        _close_editor()
        st.info("The network changed; click the diagram again.")
        return
    name = _name(target)
    st.markdown(f"**{name}**, {_where(target)}. Now: `{current!r}`")
    key = "edit_value"
    if S.get("_edit_for") != target:
        S[key] = repr(current)  # every digit of the float: Set without a change changes nothing
        S._edit_for = target
    # A text field, not st.number_input: Streamlit turns a forged ±inf or NaN in a number field
    # into a bound or the default before the app sees it; here the app reads what was sent and
    # the engine's own check says what is wrong with it.
    st.text_input(
        f"New value of {name} (a number from −{MAX_EDIT:g} to {MAX_EDIT:g})",
        key=key,
        max_chars=MAX_TEXT,
    )
    row = st.container(horizontal=True)
    chosen = row.button("Set", key="edit_set", type="primary")
    if row.button("Cancel", key="edit_cancel"):
        _close_editor()
        st.rerun()
    if chosen:
        try:
            set_value(exp, target, parse_number(S.get(key)))
        except ValueError as e:  # the dialog stays open with what was typed, to be fixed
            st.error(f"Not set, nothing changed: {clip(e)}.", icon=":material/block:")
        else:
            _close_editor()
            st.rerun()  # every chart, whole, with the new value
    st.caption(
        "The value is set exactly; training goes on from it. Reset forgets it unless "
        '"Reset keeps my edits" (below the diagram) is ticked.'
    )


MAX_TEXT = 40


def parse_number(text: object) -> float:
    """What a student typed as a number ("0.5", "-2", "1e-3", "−1.5"); ValueError otherwise.
    The range and finiteness are the engine's to check (``playground.checks.check_value``)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ValueError(f"expected a number of at most {MAX_TEXT} characters")
    try:
        return float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


def reset(exp: Experiment) -> None:
    """Reset: with "Reset keeps my edits" ticked, the first weights with the edits applied
    (kept by the network as its start); otherwise the seed's first weights, edits forgotten."""
    edits = current_edits(exp)
    exp.net.forget_start()
    exp.reset()
    if S.get("keep_edits") is True and edits:
        for target, value in edits.items():
            if target[0] == "w":
                exp.net.set_weight(target[1], target[2], target[3], value)
            else:
                exp.net.set_bias(target[1], target[2], value)
        exp.net.keep_as_start()
        exp.trainer.reset()  # measures from the kept start
    else:
        S.pop("edits", None)
