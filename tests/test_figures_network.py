import json

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import Network
from tests.decode import decode, decode_png
from ui.figures.encode import apply_updates, quantize, scale_lut
from ui.figures.network import (
    _DEAD_NOTE,
    DEAD_PNG,
    NB,
    SIDE,
    THUMB_SHIFT,
    WIDTH_EDGES,
    network_figure,
    network_trace_index,
    network_update,
    suggested_height,
)
from ui.figures.style import DIVERGING, NEGATIVE, POSITIVE

_DEAD_NOTE_TEXT = _DEAD_NOTE


def shade(level) -> np.ndarray:
    """The colour a neuron's picture draws for a uint8 level: the middle of its 64 shades."""
    step = 1 << THUMB_SHIFT
    return scale_lut(DIVERGING)[int(level) // step * step + step // 2]


FEATURE_LABELS = ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]


def args(sizes, *, seed=0, thumbs=True, stats=True, acts="tanh", res=8):
    net = Network(sizes, acts, init="uniform", seed=seed)
    rng = np.random.default_rng(seed)
    kw = dict(
        sizes=sizes,
        input_labels=(FEATURE_LABELS + [f"f{i}" for i in range(8, 13)])[: sizes[0]],
        activations=net.activations,
        w=net.w,
        b=net.b,
    )
    if stats:
        kw["neuron_stats"] = {
            l: {k: rng.normal(size=sizes[l - 1]) for k in ("z", "a", "delta")}
            for l in range(2, len(sizes) + 1)
        }
    if thumbs:
        kw["thumbnails"] = {
            l: rng.integers(0, 256, (K, res, res), dtype=np.uint8)
            for l, K in enumerate(sizes, start=1)
        }
        kw["thumb_range"] = {l: (-1.0, 1.0) for l in range(1, len(sizes) + 1)}
    return kw


def update_args(kw):
    return {k: v for k, v in kw.items() if k not in ("input_labels", "activations")}


def valid(fig):
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    return fig


@pytest.mark.parametrize(
    "sizes",
    [
        [2, 1],  # no hidden layer
        [2, 4, 2, 1],  # the default
        [1, 3, 1],  # one input feature
        [7, *[12] * 8, 1],  # the largest the Playground allows
    ],
)
def test_network_figure_is_valid_and_follows_the_documented_trace_order(sizes):
    fig = valid(network_figure(**args(sizes)))
    index = network_trace_index(sizes)
    data = fig["data"]
    assert len(data) == index["n_traces"]
    assert all(data[i]["type"] == "scatter" and data[i]["mode"] == "lines" for i in index["links"])
    assert data[index["link_hover"]]["name"] == "weights"
    images = fig["layout"]["images"]
    assert len(images) == sum(sizes)
    for l, pictures in index["thumbnails"].items():
        assert [images[i]["x"] + SIDE / 2 for i in pictures] == [l] * sizes[l - 1]
        assert all(images[i]["source"].startswith("data:image/png;base64,") for i in pictures)
    assert data[index["outlines"]]["name"] == "outlines"
    assert decode(data[index["outlines"]]["x"]).size == 6 * sum(sizes)  # 5 corners and a gap
    for hover in ("link_hover", "input_hover", "neuron_hover"):
        assert data[index[hover]]["mode"] == "none"  # hover without drawing a node per point
    assert data[index["input_hover"]]["name"] == "inputs"
    assert data[index["neuron_hover"]]["name"] == "neurons"
    layout = fig["layout"]
    assert layout["yaxis"]["scaleanchor"] == "x" and not layout["xaxis"]["visible"]
    assert layout["paper_bgcolor"] == "rgba(0,0,0,0)"


def test_trace_order_does_not_depend_on_the_weights():
    a = network_figure(**args([2, 4, 2, 1], seed=0))
    b = network_figure(**args([2, 4, 2, 1], seed=1))
    assert [(t["type"], t["name"]) for t in a["data"]] == [
        (t["type"], t["name"]) for t in b["data"]
    ]


def test_layer_labels_name_input_activation_and_output():
    fig = network_figure(**args([2, 3, 1], acts=["relu", "sigmoid"]))
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert texts[:3] == [
        "<b>layer 1</b><br>input",
        "<b>layer 2</b><br>ReLU",
        "<b>layer 3</b><br>output · sigmoid",
    ]
    assert texts[3:] == ["x₁", "x₂"]


def test_link_hover_names_weights_as_the_lecture_does():
    kw = args([2, 3, 2, 1])
    fig = network_figure(**kw)
    hover = fig["data"][network_trace_index([2, 3, 2, 1])["link_hover"]]
    names = hover["text"]
    # w³₁₂: from neuron k = 2 of layer 2 to neuron j = 1 of layer 3
    i = names.index("w³₁₂")
    assert hover["hovertext"][i] == "from neuron 2 of layer 2 to neuron 1 of layer 3"
    assert decode(hover["customdata"])[i] == pytest.approx(kw["w"][3][0, 1], abs=1e-6)
    assert names[:2] == ["w²₁₁", "w²₁₂"]  # w² row by row: j, then k
    assert len(names) == 2 * 3 + 3 * 2 + 2 * 1
    assert "%{text} = %{customdata" in hover["hovertemplate"]


def test_link_hover_markers_never_coincide_even_for_twelve_neurons():
    fig = network_figure(**args([12, 12, 12, 1], thumbs=False, stats=False))
    hover = fig["data"][network_trace_index([12, 12, 12, 1])["link_hover"]]
    points = np.column_stack([decode(hover["x"]), decode(hover["y"])]).round(4)
    assert len(np.unique(points, axis=0)) == len(points)


def test_neuron_hover_shows_b_and_the_means_with_their_equation():
    kw = args([2, 3, 1])
    fig = network_figure(**kw)
    hover = fig["data"][network_trace_index([2, 3, 1])["neuron_hover"]]
    template = hover["hovertemplate"][1]  # neuron 2 of layer 2
    assert "neuron 2 of layer 2" in template
    for piece in ("b²₂", "mean z²₂", "mean a²₂", "mean δ²₂ = ∂C/∂b²₂", "eq. 19"):
        assert piece in template
    values = decode(hover["customdata"])
    assert values.shape == (4, 6)
    assert values[1, 0] == pytest.approx(kw["b"][2][1, 0], abs=1e-6)
    assert values[1, 3] == pytest.approx(kw["neuron_stats"][2]["delta"][1], abs=1e-6)


def test_a_dead_neuron_looks_unlike_a_live_one_and_says_so_on_hover():
    sizes = [2, 3, 1]
    kw = args(sizes)
    kw["thumbnails"][2][:] = 128  # every hidden picture flat at the neutral middle (0 for ReLU)
    kw["dead"] = {2: np.array([False, True, False])}
    fig = valid(network_figure(**kw))
    index = network_trace_index(sizes)
    live, gone = (fig["layout"]["images"][index["thumbnails"][2][j]]["source"] for j in (0, 1))
    assert gone == DEAD_PNG != live
    pixels = decode_png(gone)
    assert (pixels[..., 0] == pixels[..., 1]).all() and len(np.unique(pixels[..., 0])) == 2
    scale = {tuple(c) for c in scale_lut(DIVERGING).tolist()}
    assert not scale & {tuple(c) for c in pixels.reshape(-1, 3).tolist()}  # no value's colour
    hover = fig["data"][index["neuron_hover"]]
    assert hover["text"] == ["", _DEAD_NOTE_TEXT, "", ""]
    assert all(t.endswith("%{text}<extra></extra>") for t in hover["hovertemplate"])
    # the next frame brings the neuron's own picture back when it is no longer dead
    update = network_update(**{**update_args(kw), "dead": {2: np.zeros(3, dtype=bool)}})
    assert update["layout"][f"images[{index['thumbnails'][2][1]}].source"] == live
    with pytest.raises(ValueError, match=r"dead\[2\] must have shape \(3,\)"):
        network_figure(**{**kw, "dead": {2: [True]}})


def test_without_stats_or_thumbnails_the_diagram_still_builds():
    fig = valid(network_figure(**args([3, 2, 1], thumbs=False, stats=False)))
    hover = fig["data"][network_trace_index([3, 2, 1])["neuron_hover"]]
    assert "mean z" not in hover["hovertemplate"][0]
    picture = fig["layout"]["images"][network_trace_index([3, 2, 1])["thumbnails"][1][0]]
    assert decode_png(picture["source"]).tolist() == [[shade(128).tolist()]]  # neutral


def test_every_link_is_in_exactly_one_bin_of_its_sign_and_size():
    sizes = [2, 4, 3, 1]
    kw = args(sizes)
    w = np.concatenate([kw["w"][l].ravel() for l in (2, 3, 4)])
    w[:4] = [-3.0, 0.1, 0.0, 1.5]  # strong negative, weak positive, zero (positive), mid
    kw["w"] = {2: w[:8].reshape(4, 2), 3: w[8:20].reshape(3, 4), 4: w[20:].reshape(1, 3)}
    fig = network_figure(**kw)
    counts = []
    for i in network_trace_index(sizes)["links"]:
        trace = fig["data"][i]
        sign = i // NB
        assert trace["line"]["color"] == (POSITIVE if sign else NEGATIVE)
        x = decode(trace["x"])
        assert len(x) % 3 == 0 and np.isnan(x[2::3]).all()  # segments split by NaN
        counts.append(len(x) // 3)
    expected = [
        int(np.sum(((w >= 0) == bool(s)) & (np.searchsorted(WIDTH_EDGES, abs(w), "right") == b)))
        for s in (0, 1)
        for b in range(NB)
    ]
    assert counts == expected and sum(counts) == len(w)
    widths = [fig["data"][i]["line"]["width"] for i in range(NB)]
    assert widths == sorted(widths)  # thicker for larger |w|


def test_link_segments_follow_a_weight_that_crosses_an_edge_and_are_not_shared():
    # the segments per bin are kept between frames: a weight moving to another bin (or to NaN)
    # must move its link at once, and a caller changing one update must not change the next
    sizes = [2, 3, 1]
    kw = args(sizes, thumbs=False, stats=False)
    kw = {k: kw[k] for k in ("sizes", "w", "b")}
    links = network_trace_index(sizes)["links"]

    def segments(w2_00):
        w = {**kw["w"], 2: kw["w"][2].copy()}
        w[2][0, 0] = w2_00
        out = network_update(**{**kw, "w": w})
        return out, [len(decode(out[i]["x"])) // 3 for i in links]

    def bin_of(v):
        return (v >= 0) * NB + int(np.searchsorted(WIDTH_EDGES, abs(v), "right"))

    for v in (0.1, 3.0, -3.0, 0.1):
        out, counts = segments(v)
        assert counts[bin_of(v)] >= 1 and sum(counts) == 9  # 2·3 + 3·1 links
        sent = json.dumps(out[bin_of(v)])
        out[bin_of(v)]["x"] = "changed by a caller"
        again, counts_again = segments(v)
        assert counts_again == counts and json.dumps(again[bin_of(v)]) == sent
    _, counts = segments(float("nan"))
    assert sum(counts) == 8  # a non-finite weight is drawn by no link trace


def test_network_update_turns_a_figure_into_the_one_with_the_new_weights():
    old, new = args([2, 4, 2, 1], seed=0), args([2, 4, 2, 1], seed=5)
    fig = network_figure(**old)
    apply_updates(fig, network_update(**update_args(new)))
    assert fig == network_figure(**new)


def test_network_update_without_thumbnails_leaves_the_squares_alone():
    update = network_update(**update_args(args([2, 4, 2, 1], thumbs=False)))
    index = network_trace_index([2, 4, 2, 1])
    assert set(update) == {*index["links"], index["link_hover"], index["neuron_hover"]}


def test_float_thumbnails_are_quantised_with_a_range_per_neuron():
    sizes = [2, 1]
    kw = args(sizes, thumbs=False)
    maps = np.stack([np.full((4, 4), 3.0), np.full((4, 4), 0.5)])
    kw["thumbnails"] = {1: maps}
    kw["thumb_range"] = {1: [[-6.0, 6.0], [0.0, 1.0]]}
    fig = valid(network_figure(**kw))
    squares = network_trace_index(sizes)["thumbnails"][1]
    pictures = [decode_png(fig["layout"]["images"][i]["source"]) for i in squares]
    assert (pictures[0][0, 0] == shade(quantize(3.0, -6, 6))).all()
    assert (pictures[1][0, 0] == shade(quantize(0.5, 0, 1))).all()
    assert not (pictures[0][0, 0] == pictures[1][0, 0]).all()
    assert (
        "-6 (orange) to 6 (blue)"
        in fig["data"][network_trace_index(sizes)["input_hover"]]["hovertemplate"][0]
    )


def test_network_inputs_are_checked():
    kw = args([2, 3, 1])
    with pytest.raises(ValueError, match=r"w\^2 must have shape \(3, 2\), got \(2, 3\)"):
        network_figure(**{**kw, "w": {**kw["w"], 2: kw["w"][2].T}})
    with pytest.raises(ValueError, match="need 2 input labels, got 1"):
        network_figure(**{**kw, "input_labels": ["x₁"]})
    with pytest.raises(ValueError, match=r"need 2 activations \(layers 2 … 3\), got 1"):
        network_figure(**{**kw, "activations": ["tanh"]})
    with pytest.raises(ValueError, match=r"thumbnails\[2\] must have shape \(3, ny, nx\)"):
        network_figure(**{**kw, "thumbnails": {2: np.zeros((2, 4, 4), dtype=np.uint8)}})
    with pytest.raises(ValueError, match="sizes must be ≥ 2 positive integers"):
        network_figure(**{**kw, "sizes": [2]})
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        network_figure(**{**kw, "activations": ["swish", "tanh"]})


def test_suggested_height_grows_with_the_tallest_layer():
    assert suggested_height([2, 12, 1], 900) > suggested_height([2, 4, 1], 900)
    fig = network_figure(**args([2, 4, 2, 1]))
    assert fig["layout"]["height"] == suggested_height([2, 4, 2, 1], 900)


def test_hover_numbers_are_short_whatever_their_size():
    """Issue 10: a diverged run's last finite weights reach 1e100 and more; a fixed-point
    format (.3f) made hover labels of a hundred digits."""
    import re

    from ui.notation import HOVER

    fig = network_figure(**args([2, 3, 1]))
    specs = re.findall(r"%\{[^}:]+:([^}]+)\}", str([t.get("hovertemplate") for t in fig["data"]]))
    assert specs and all(spec in (HOVER, ".3g") for spec in specs), set(specs)


def output_marks(fig, L):
    """The annotations right of the output squares (x beyond layer L's column)."""
    return [a for a in fig["layout"]["annotations"] if a["x"] > L]


def output_hovers(fig, sizes):
    """The hover templates of the output neurons (the last K_L of the neurons' trace)."""
    hover = fig["data"][network_trace_index(sizes)["neuron_hover"]]["hovertemplate"]
    return hover[-sizes[-1] :]


def test_each_output_of_a_classifier_is_marked_with_its_class_shape_and_colour():
    from ui.figures.style import CLASS_PALETTE, SYMBOL_TEXT

    sizes = [2, 4, 3]
    fig = valid(network_figure(**args(sizes), classes=("cat", "dog", "bird"), threshold=0.5))
    marks = output_marks(fig, 3)
    assert [m["y"] for m in marks] == sorted((m["y"] for m in marks), reverse=True)
    for k, (mark, hover) in enumerate(zip(marks, output_hovers(fig, sizes), strict=True)):
        shape = SYMBOL_TEXT[("circle", "square", "diamond")[k]]
        assert mark["text"] == f'<span style="color:{CLASS_PALETTE[k]}">{shape}</span>'
        assert f"class {k}: {('cat', 'dog', 'bird')[k]}" in hover
    # neuron j of the output layer is drawn at the height of hover point j
    hover = fig["data"][network_trace_index(sizes)["neuron_hover"]]
    assert [m["y"] for m in marks] == list(decode(hover["y"])[-3:])


def test_a_single_output_says_which_side_of_the_threshold_each_class_is_on():
    sizes = [2, 4, 1]
    fig = valid(network_figure(**args(sizes), classes=("class 0", "class 1"), threshold=0.0))
    (mark,) = output_marks(fig, 3)
    above, below = mark["text"].split("<br>")
    assert "■" in above and "&gt; 0" in above  # class 1 where a^L > threshold (metrics.py)
    assert "●" in below and "≤ 0" in below
    (hover,) = output_hovers(fig, sizes)
    assert "above 0: class 1, class 1; else class 0, class 0" in hover


@pytest.mark.parametrize(
    "classes, threshold, sizes",
    [
        (None, None, [2, 4, 1]),  # regression
        (("a", "b"), None, [2, 4, 1]),  # no threshold: not a classifier
        (("a", "b", "c"), 0.5, [2, 4, 2]),  # names that do not fit the outputs
        (("a", "b", "c"), 0.5, [2, 4, 1]),
    ],
)
def test_nothing_is_claimed_about_outputs_that_are_not_one_per_class(classes, threshold, sizes):
    plain = network_figure(**args(sizes))
    fig = network_figure(**args(sizes), classes=classes, threshold=threshold)
    assert fig == plain


def test_a_class_name_from_a_file_is_plain_text_in_the_hover():
    sizes = [2, 3, 2]
    evil = ("<b>%{x}</b>", "a&b")
    fig = valid(network_figure(**args(sizes), classes=evil, threshold=0.5))
    first, second = output_hovers(fig, sizes)
    assert "&lt;b&gt;&#37;{x}&lt;/b&gt;" in first and "<b>%{x}" not in first
    assert "a&amp;b" in second
