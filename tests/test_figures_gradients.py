"""The network diagram's gradients view: rings by mean δ^l_j, links by ∂C/∂w^l_jk, one scale."""

from __future__ import annotations

import numpy as np
import pytest

from playground import Network
from playground.metrics import gradient_summary
from tests.decode import decode
from ui.figures.encode import apply_updates
from ui.figures.gradients import (
    RELATIVE_EDGES,
    RING_LEVELS,
    gradient_figure,
    gradient_trace_index,
    gradient_update,
    ring_color,
)
from ui.figures.network import NB, network_trace_index
from ui.figures.style import NEGATIVE, POSITIVE

SIZES = [2, 4, 3, 1]


def args(sizes=SIZES, *, seed=0):
    """A real network's weights and the gradients of one backprop on random data."""
    net = Network(sizes, "tanh", init="uniform", seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(sizes[0], 30))
    y = np.tanh(rng.normal(size=(sizes[-1], 30)))
    s = gradient_summary(net.backprop(x, y))
    return dict(
        sizes=sizes,
        input_labels=[f"x{i + 1}" for i in range(sizes[0])],
        activations=["tanh"] * (len(sizes) - 1),
        w={l: net.w[l].copy() for l in net.w},
        b={l: net.b[l].copy() for l in net.b},
        grad_w=s.w,
        delta=s.delta,
    )


def update_args(kw, n_annotations):
    out = {k: v for k, v in kw.items() if k not in ("input_labels", "activations")}
    return {**out, "n_annotations": n_annotations}


def ring_neurons(fig, index):
    """{trace: number of closed squares} of the ring traces."""
    return {i: int(np.isnan(decode(fig["data"][i]["x"])).sum()) for i in index["rings"]}


def test_the_figure_follows_the_documented_trace_order():
    fig = gradient_figure(**args())
    index = gradient_trace_index(SIZES)
    assert len(fig["data"]) == index["n_traces"]
    assert index["n_traces"] == network_trace_index(SIZES)["n_traces"] + 2 * RING_LEVELS + 1
    bar = fig["data"][index["colorbar"]]
    assert bar["marker"]["showscale"] is True
    for i in index["links"]:
        assert fig["data"][i]["line"]["color"] == (POSITIVE if i // NB else NEGATIVE)


def test_every_neuron_of_layers_2_to_L_gets_one_ring_of_its_sign_and_size():
    kw = args()
    kw["delta"] = {2: np.array([1.0, -0.5, 0.05, -1e-9]), 3: np.array([0.3, 0.0, -2.0]), 4: [0.9]}
    fig = gradient_figure(**kw)
    index = gradient_trace_index(SIZES)
    rings = ring_neurons(fig, index)
    assert sum(rings.values()) == 7  # every neuron but the one with δ = 0 exactly
    top = 2.0  # the largest |δ| of the whole network: one scale for every layer
    expected: dict[int, int] = {}
    for d in (1.0, -0.5, 0.05, -1e-9, 0.3, -2.0, 0.9):
        level = min(RING_LEVELS - 1, int(abs(d) / top * RING_LEVELS))
        trace = index["rings"][(RING_LEVELS if d > 0 else 0) + level]
        expected[trace] = expected.get(trace, 0) + 1
    assert {t: n for t, n in rings.items() if n} == expected
    marker = fig["data"][index["colorbar"]]["marker"]
    assert (marker["cmin"], marker["cmax"]) == (-2.0, 2.0)


def test_ring_colours_run_from_pale_to_full_on_each_side():
    assert ring_color(RING_LEVELS - 1, True) != ring_color(0, True)
    assert ring_color(RING_LEVELS - 1, False) != ring_color(RING_LEVELS - 1, True)


def test_links_are_binned_against_the_largest_gradient_of_the_whole_network():
    kw = args()
    kw["grad_w"] = {
        2: np.full((4, 2), 1e-4),  # a layer whose gradients vanish: thinnest links only
        3: np.zeros((3, 4)),
        4: np.array([[-1.0, 0.15, 0.5]]),
    }
    kw["grad_w"][3][0, 0] = 0.85
    fig = gradient_figure(**kw)
    counts = [len(decode(fig["data"][i]["x"])) // 3 for i in network_trace_index(SIZES)["links"]]
    negative, positive = counts[:NB], counts[NB:]
    assert negative == [0, 0, 0, 0, 1]  # −1.0: the largest
    # positive: 8 × 1e-4 and 11 zeros (< 10 %), 0.15 (10–20 %), 0.5 (40–80 %), 0.85 (≥ 80 %)
    assert positive == [8 + 11, 1, 0, 1, 1]
    assert RELATIVE_EDGES == (0.1, 0.2, 0.4, 0.8)


def test_link_hover_shows_the_gradient_and_the_weight_exactly():
    kw = args()
    fig = gradient_figure(**kw)
    hover = fig["data"][network_trace_index(SIZES)["link_hover"]]
    data = decode(hover["customdata"])
    g = np.concatenate([kw["grad_w"][l].ravel() for l in (2, 3, 4)])
    w = np.concatenate([kw["w"][l].ravel() for l in (2, 3, 4)])
    np.testing.assert_allclose(data[:, 0], g, rtol=1e-6)
    np.testing.assert_allclose(data[:, 1], w, rtol=1e-6)
    assert "(eq. 18)" in hover["hovertemplate"] and "∂C/∂" in hover["hovertemplate"]


def test_each_layer_is_labelled_with_its_largest_error():
    kw = args()
    kw["delta"] = {2: np.array([0.5, -0.02, 0.0, 0.1]), 3: np.array([-0.003, 0.0, 0.001]), 4: [0.2]}
    texts = [a["text"] for a in gradient_figure(**kw)["layout"]["annotations"]]
    assert texts[-3:] == ["max |δ²|<br>0.5", "max |δ³|<br>0.003", "max |δ⁴|<br>0.2"]


def test_gradient_update_turns_a_figure_into_the_one_with_the_new_gradients():
    old, new = args(seed=0), args(seed=4)
    fig = gradient_figure(**old)
    apply_updates(fig, gradient_update(**update_args(new, len(fig["layout"]["annotations"]))))
    assert fig == gradient_figure(**new)


def test_all_zero_or_non_finite_gradients_draw_without_rings():
    kw = args()
    kw["grad_w"] = {l: np.zeros_like(g) for l, g in kw["grad_w"].items()}
    kw["delta"] = {2: np.zeros(4), 3: np.array([np.nan, 0.0, 0.0]), 4: np.zeros(1)}
    fig = gradient_figure(**kw)
    index = gradient_trace_index(SIZES)
    assert sum(ring_neurons(fig, index).values()) == 0
    assert fig["data"][index["colorbar"]]["marker"]["cmax"] == 1.0


def test_wrong_shapes_are_refused():
    kw = args()
    kw["delta"] = {2: np.zeros(3), 3: np.zeros(3), 4: np.zeros(1)}
    with pytest.raises(ValueError, match="layer 2"):
        gradient_figure(**kw)
    kw = args()
    del kw["grad_w"][3]
    with pytest.raises(ValueError, match="layer 3"):
        gradient_figure(**kw)


@pytest.mark.parametrize("reveal", [2, 3, 4, 5])
def test_a_backward_phase_reveals_layers_reveal_to_L_at_the_whole_step_s_scale(reveal):
    """Slow motion's backward pass computes δ from L down: layers < reveal draw no ring, no link
    and "…" for their largest |δ|; the others are drawn exactly as when every layer is."""
    kw = args()
    kw["delta"] = {2: np.array([1.0, -0.5, 0.05, -0.3]), 3: np.array([0.3, 0.1, -2.0]), 4: [0.9]}
    full = gradient_figure(**kw)
    n_notes = len(full["layout"]["annotations"])
    part = gradient_figure(**kw)
    apply_updates(part, gradient_update(**update_args(kw, n_notes), reveal_from=reveal))
    index = gradient_trace_index(SIZES)
    fx, px = ({i: decode(f["data"][i]["x"]) for i in index["rings"]} for f in (full, part))
    for i in index["rings"]:  # the revealed rings are the full figure's, at their places
        keep = fx[i][~np.isnan(fx[i])].reshape(-1, 5)
        keep = keep[keep[:, 0] > reveal - 1]  # ring squares of layers ≥ reveal (x ≈ l ± 0.4)
        got = px[i][~np.isnan(px[i])].reshape(-1, 5) if px[i].size else np.zeros((0, 5))
        np.testing.assert_array_equal(got, keep)
    assert part["data"][index["colorbar"]]["marker"] == full["data"][index["colorbar"]]["marker"]
    texts = [a["text"] for a in part["layout"]["annotations"]][-3:]
    for l, text in zip((2, 3, 4), texts, strict=True):
        assert (text.endswith("…")) == (l < reveal), text

    # links: a layer's links are drawn once its δ is known (eq. 18 needs δˡ), at full width
    def link_xs(fig):
        xs = [decode(fig["data"][i]["x"]) for i in network_trace_index(SIZES)["links"]]
        return [np.sort(x[~np.isnan(x)]) for x in xs]

    for f_x, p_x in zip(link_xs(full), link_xs(part), strict=True):
        np.testing.assert_array_equal(p_x, f_x[f_x >= reveal - 1 - 1e-9])
