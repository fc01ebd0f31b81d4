"""ui.figures.xor: Fig. 5 with its weights, the output over the plane, each neuron's map."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import Network
from playground.presets import lecture_xor, lecture_xor_inputs
from tests.decode import decode
from ui.figures.xor import runs_cost_figure, unit_maps_figure, xor_diagram, xor_output_figure
from ui.lecture import xor as xl

#: Fig. 5 as the diagram must label it.
FIG_5_LABELS = {
    "w²₁₁ = 1",
    "w²₁₂ = 1",
    "w²₁₃ = 0",
    "w²₂₁ = 1",
    "w²₂₂ = 1",
    "w²₂₃ = −1",
    "w³₁₁ = 1",
    "w³₁₂ = −2",
}


def valid(fig):
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    return fig


def texts(fig):
    return [
        a["text"].removeprefix("<b>").removesuffix("</b>") for a in fig["layout"]["annotations"]
    ]


def test_the_diagram_labels_every_weight_of_fig_5():
    fig = valid(xor_diagram(lecture_xor()))
    assert FIG_5_LABELS <= set(texts(fig))
    assert {"b²₁ = 0", "b²₂ = 0", "b³₁ = 0"} <= set(texts(fig))
    assert any("hidden, ReLU" in t for t in texts(fig))


def test_the_diagram_writes_the_values_for_one_input():
    table = xl.xor_table(lecture_xor())
    r = table.iloc[3]  # (1, 1): a²₁ = 2, a²₂ = 1, a³₁ = 0
    values = {1: (r["x₁"], r["x₂"], 1.0), 2: (r["a²₁"], r["a²₂"]), 3: (r["a³₁"],)}
    notes = texts(xor_diagram(lecture_xor(), values=values))
    assert "x₁ = 1" in notes and "x₂ = 1" in notes
    assert "b²₁ = 0<br><b>a²₁ = 2" in notes and "b²₂ = 0<br><b>a²₂ = 1" in notes
    assert "b³₁ = 0<br><b>a³₁ = 0" in notes


def test_the_diagram_needs_a_3_2_1_network():
    with pytest.raises(ValueError, match=r"needs a 3-2-1 network, got sizes \(2, 2, 1\)"):
        xor_diagram(Network([2, 2, 1]))


def output_figure():
    net = lecture_xor()
    planes = xl.planes(net, grid=40)
    table = xl.xor_table(net)
    fig = xor_output_figure(
        a_out=planes.a[3][0],
        z_hidden=planes.z[2],
        extent=planes.extent,
        value_range=(0.0, 1.0),
        points_x=lecture_xor_inputs()[:2],
        points_class=table[xl.TARGET_COLUMN].to_numpy(),
        point_values=table["a³₁"].to_numpy(),
    )
    return fig, planes


def test_the_output_figure_shows_a3_and_both_hidden_lines():
    fig, planes = output_figure()
    valid(fig)
    np.testing.assert_allclose(decode(fig["data"][0]["z"]), planes.a[3][0], atol=1e-6)
    lines = [t for t in fig["data"] if t["type"] == "contour"]
    assert [t["name"] for t in lines] == ["line z²₁ = 0", "line z²₂ = 0"]
    assert lines[0]["line"]["dash"] != lines[1]["line"]["dash"]  # told apart without colour
    np.testing.assert_allclose(decode(lines[1]["z"]), planes.z[2][1], atol=1e-6)
    assert texts(fig) == ["0", "1", "1", "0"]  # a³₁ at (0,0), (0,1), (1,0), (1,1)


def test_the_unit_maps_are_white_at_zero_with_the_tables_values():
    net = lecture_xor()
    planes = xl.planes(net, grid=20)
    table = xl.xor_table(net)
    fig = valid(
        unit_maps_figure(
            maps=[planes.a[2][0], planes.a[2][1], planes.a[3][0]],
            zero_lines=[planes.z[2][0], planes.z[2][1], None],
            titles=["a²₁", "a²₂", "a³₁"],
            extent=planes.extent,
            points_x=lecture_xor_inputs()[:2],
            points_class=table[xl.TARGET_COLUMN].to_numpy(),
            point_values=[table["a²₁"], table["a²₂"], table["a³₁"]],
        )
    )
    heats = [t for t in fig["data"] if t["type"] == "heatmap"]
    assert [h["xaxis"] for h in heats] == ["x", "x2", "x3"]
    for h, m in zip(heats, [planes.a[2][0], planes.a[2][1], planes.a[3][0]], strict=True):
        assert h["zmin"] == -h["zmax"] == pytest.approx(-np.abs(m).max())  # 0 in the middle
    assert sum(t["type"] == "contour" for t in fig["data"]) == 2
    notes = texts(fig)
    assert {"a²₁", "a²₂", "a³₁"} <= set(notes)
    values = [n for n in notes if n not in ("a²₁", "a²₂", "a³₁")]
    assert values == ["0", "1", "1", "2", "0", "0", "0", "1", "0", "1", "1", "0"]


def test_unit_maps_need_one_entry_per_panel():
    with pytest.raises(ValueError, match="need one entry per panel"):
        unit_maps_figure(
            maps=[np.zeros((2, 2))],
            zero_lines=[],
            titles=["a"],
            extent=(0, 1, 0, 1),
            points_x=np.zeros((2, 4)),
            points_class=np.zeros(4),
            point_values=[[0, 0, 0, 0]],
        )


def test_runs_cost_figure_draws_the_latest_run_over_the_earlier_ones():
    runs = [
        {"label": "zeros", "steps": [0, 1, 2], "cost_train": [0.25, 0.25, 0.25]},
        {"label": "random", "steps": [0, 1, 2, 3], "cost_train": [0.3, 0.2, 0.1, 0.05]},
    ]
    fig = valid(runs_cost_figure(runs))
    latest = fig["data"][0]
    assert latest["name"] == "latest: random"
    np.testing.assert_allclose(decode(latest["y"]), [0.3, 0.2, 0.1, 0.05], rtol=1e-6)
    assert any(t["name"] == "zeros: C (training)" for t in fig["data"][1:])
    assert fig["layout"]["legend"]["yanchor"] == "top" and fig["layout"]["legend"]["y"] < 0
    with pytest.raises(ValueError, match="at least one run"):
        runs_cost_figure([])
