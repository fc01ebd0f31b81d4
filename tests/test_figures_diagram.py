"""ui.figures.diagram: a small network with every weight written on its link."""

from __future__ import annotations

import itertools
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.figures.diagram import LABEL_AT, ZERO_COLOR, link_width, weight_diagram
from ui.figures.style import NEGATIVE, POSITIVE

LAYERS = [["x₁", "x₂", "1"], ["a²₁", "a²₂"], ["a³₁"]]
W = {2: np.array([[1.0, 1.0, 0.0], [1.0, 1.0, -1.0]]), 3: np.array([[1.0, -2.0]])}


def labels(fig):
    return [a for a in fig["layout"]["annotations"] if a["text"].startswith("<b>w")]


def valid(fig):
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    return fig


def test_every_weight_has_a_label_with_its_value():
    fig = valid(weight_diagram(layers=LAYERS, w=W))
    texts = [a["text"] for a in labels(fig)]
    assert texts == [
        "<b>w²₁₁ = 1</b>",
        "<b>w²₁₂ = 1</b>",
        "<b>w²₁₃ = 0</b>",
        "<b>w²₂₁ = 1</b>",
        "<b>w²₂₂ = 1</b>",
        "<b>w²₂₃ = −1</b>",
        "<b>w³₁₁ = 1</b>",
        "<b>w³₁₂ = −2</b>",
    ]


def test_links_are_coloured_by_sign_and_zero_is_dotted_grey():
    fig = weight_diagram(layers=LAYERS, w=W)
    links = fig["data"][:8]
    by_name = {t["name"]: t["line"] for t in links}
    assert by_name["w²₁₁"]["color"] == POSITIVE
    assert by_name["w³₁₂"]["color"] == NEGATIVE
    assert by_name["w²₁₃"] == {"color": ZERO_COLOR, "width": 1.5, "dash": "dot"}
    assert by_name["w³₁₂"]["width"] == link_width(-2.0) > by_name["w³₁₁"]["width"]


def test_link_k_to_j_runs_from_layer_l_minus_1_to_l():
    fig = weight_diagram(layers=LAYERS, w=W)
    (w223,) = [t for t in fig["data"] if t["name"] == "w²₂₃"]
    # from neuron 3 of layer 1 (y = −1) to neuron 2 of layer 2 (y = −½)
    assert w223["x"] == [1, 2] and w223["y"] == [-1.0, -0.5]


def test_labels_sit_on_their_link_and_never_on_top_of_each_other():
    fig = weight_diagram(layers=LAYERS, w=W)
    spots = [(a["x"], a["y"]) for a in labels(fig)]
    for (x1, y1), (x2, y2) in itertools.combinations(spots, 2):
        assert abs(x1 - x2) > 0.2 or abs(y1 - y2) >= 0.3 - 1e-9
    first = labels(fig)[0]  # w²₁₁: from (1, 1) to (2, ½)
    assert first["x"] == pytest.approx(1 + LABEL_AT)
    assert first["y"] == pytest.approx(1 - 0.5 * LABEL_AT)


def test_one_neuron_with_its_own_names_and_notes():
    fig = valid(
        weight_diagram(
            layers=[["x₁", "x₂", "1"], ["σ"]],
            w={2: [[0.5, -1.25, 2.0]]},
            edge_names={(2, 0, 0): "w₁", (2, 0, 1): "w₂", (2, 0, 2): "b"},
            notes={(1, 0): "x₁ = 1", (2, 0): "y = 0.9"},
            layer_titles=["inputs", "neuron"],
        )
    )
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "<b>w₁ = 0.5</b>" in texts and "<b>w₂ = −1.25</b>" in texts and "<b>b = 2</b>" in texts
    assert {"x₁ = 1", "y = 0.9", "inputs", "neuron"} <= set(texts)
    (x_note,) = [a for a in fig["layout"]["annotations"] if a["text"] == "x₁ = 1"]
    assert x_note["xanchor"] == "right"  # left of the input, away from the labels


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"w\[3\] must have shape \(1, 2\), got \(2, 1\)"):
        weight_diagram(layers=LAYERS, w={2: W[2], 3: W[3].T})
    with pytest.raises(ValueError, match="layers must list ≥ 2 layers of 1 to 4 neurons"):
        weight_diagram(layers=[["x"] * 5, ["y"]], w={2: np.zeros((1, 5))})
    with pytest.raises(ValueError, match="need 3 layer titles, got 1"):
        weight_diagram(layers=LAYERS, w=W, layer_titles=["a"])
