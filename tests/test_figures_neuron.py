"""ui.figures.neuron: one neuron's output over the plane, its line z = 0, the picked point."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from tests.decode import decode
from ui.figures.neuron import neuron_plane_figure, point_notes, rings, zero_line
from ui.lecture import neuron as nl


def figure(**kw):
    net = nl.neuron("sigmoid", 4.0, 4.0, -2.0)
    plane = nl.plane(net, grid=30)
    check = nl.xor_check(net)
    args = dict(
        y=plane.y,
        z=plane.z,
        extent=plane.extent,
        value_range=(0.0, 1.0),
        points_x=check.x,
        points_class=check.classes,
    )
    return neuron_plane_figure(**{**args, **kw}), plane, check


def valid(fig):
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    return fig


def test_the_heatmap_is_y_and_the_contour_is_z_equals_zero():
    fig, plane, _ = figure()
    valid(fig)
    heat, line = fig["data"][0], fig["data"][5]
    np.testing.assert_allclose(decode(heat["z"]), plane.y, rtol=1e-6)
    assert heat["colorbar"]["title"]["text"] == "y"
    assert line["type"] == "contour" and line["name"] == "line z = 0"
    np.testing.assert_allclose(decode(line["z"]), plane.z, rtol=1e-6)
    assert line["contours"]["start"] == line["contours"]["end"] == 0
    assert line["contours"]["coloring"] == "none"
    # the contour's cells are the heatmap's cells
    assert (line["x0"], line["dx"], line["y0"], line["dy"]) == pytest.approx(
        (heat["x0"], heat["dx"], heat["y0"], heat["dy"])
    )
    assert len(fig["data"]) == 6  # no rings, no picked point unless asked


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "sign", "relu"])
def test_the_line_drawn_is_the_line_the_correctness_rule_uses(activation):
    """Issue 11: with ReLU the rule is a > 0.5, so the line is z = 0.5, not z = 0."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        w1, w2, b = rng.uniform(-4, 4, 3)
        net = nl.neuron(activation, w1, w2, b)
        plane = nl.plane(net, grid=40)
        fig = neuron_plane_figure(
            y=plane.y,
            z=plane.z,
            extent=plane.extent,
            value_range=nl.value_range(activation),
            points_x=np.zeros((2, 0)),
            points_class=np.zeros(0),
            line_z=nl.decision_z(activation),
        )
        line = fig["data"][-1]
        assert line["name"] == f"line z = {nl.decision_z(activation):g}"
        level = decode(line["z"])  # the contour is drawn where this is 0
        above = plane.y > nl.threshold(activation)
        np.testing.assert_array_equal(above, level > 0)


def test_the_picked_point_and_the_rings_around_missed_points():
    fig, _, _ = figure(picked=(1.0, 0.0), missed=~check_correct())
    valid(fig)
    ring, star = fig["data"][6], fig["data"][7]
    assert ring["x"] == [1.0] and ring["y"] == [1.0]  # (1, 1): XOR 0 but y ≈ 1
    assert ring["marker"]["symbol"] == "circle-open"
    assert star["x"] == [1.0] and star["y"] == [0.0] and star["marker"]["symbol"] == "star"


def check_correct():
    return nl.xor_check(nl.neuron("sigmoid", 4.0, 4.0, -2.0)).correct


def test_rings_need_one_flag_per_point():
    with pytest.raises(ValueError, match=r"mask must have shape \(4,\), got \(3,\)"):
        rings(np.zeros((2, 4)), np.zeros(3, dtype=bool))
    assert rings(np.zeros((2, 4)), np.zeros(4, dtype=bool))["showlegend"] is False


def test_zero_line_checks_its_input():
    with pytest.raises(ValueError, match=r"z must be a 2-D \(ny, nx\) array, got shape \(4,\)"):
        zero_line(np.zeros(4), (0, 1, 0, 1), name="z")


def test_point_notes_put_each_text_by_its_point():
    notes = point_notes(np.array([[0.0, 1.0], [0.0, 1.0]]), ["0", "2"], xref="x2", yref="y2")
    assert [(n["x"], n["y"], n["text"], n["xref"]) for n in notes] == [
        (0.0, 0.0, "<b>0</b>", "x2"),
        (1.0, 1.0, "<b>2</b>", "x2"),
    ]
    with pytest.raises(ValueError, match=r"points_x must have shape \(2, 3\)"):
        point_notes(np.zeros((2, 2)), ["a", "b", "c"])
