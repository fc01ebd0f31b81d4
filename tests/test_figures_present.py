"""Presenter view and phone copies of a figure (ui/figures/present.py), and chart names
(ui/figures/describe.py)."""

from __future__ import annotations

import pytest

from ui.figures.activations import activation_figure
from ui.figures.curves import cost_figure
from ui.figures.describe import describe, plain
from ui.figures.present import SCALE, in_rows, presenter, short_labels


def _sizes(obj, path=""):
    """Every (path, size) of a font dict below obj."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.endswith("font") and isinstance(v, dict) and "size" in v:
                yield f"{path}.{k}", v["size"]
            yield from _sizes(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _sizes(v, f"{path}[{i}]")


def test_presenter_scales_every_font_and_mark_and_leaves_the_original_alone():
    fig = activation_figure(height=300)
    before = dict(_sizes(fig))
    big = presenter(fig)
    after = dict(_sizes(big))
    assert before and before.keys() <= after.keys()
    for path, size in before.items():
        assert after[path] == round(size * SCALE), path
    assert dict(_sizes(fig)) == before  # a copy
    widths = [t["line"]["width"] for t in fig["data"] if "line" in t]
    assert [t["line"]["width"] for t in big["data"] if "line" in t] == [
        round(w * SCALE, 2) for w in widths
    ]
    assert big["layout"]["font"]["color"] == "#000000"
    assert big["layout"]["margin"]["l"] == round(fig["layout"]["margin"]["l"] * SCALE)
    assert big["layout"]["height"] == fig["layout"]["height"]  # the page chooses the size
    with pytest.raises(ValueError, match="scale must be positive"):
        presenter(fig, 0)


def test_in_rows_moves_panels_and_their_titles_into_a_grid():
    fig = activation_figure(height=300)
    grid = in_rows(fig, 2)
    lay = grid["layout"]
    assert lay["xaxis"]["domain"] == lay["xaxis3"]["domain"]  # panel 3 under panel 1
    assert lay["yaxis"]["domain"][0] > lay["yaxis3"]["domain"][1]
    for k in ("xaxis", "xaxis2", "xaxis3", "xaxis4", "yaxis", "yaxis4"):
        assert all(0 <= v <= 1 for v in lay[k]["domain"])
    titles = [a for a in lay["annotations"] if a.get("xref") == "paper"]
    assert sorted(a["y"] for a in titles)[:2] == [lay["yaxis3"]["domain"][1]] * 2  # row 2
    assert [round(a["x"], 6) for a in titles[:2]] == [round(a["x"], 6) for a in titles[2:]]
    assert lay["height"] > fig["layout"]["height"]
    assert in_rows({"data": [], "layout": {}}, 2) == {"data": [], "layout": {}}


def test_short_labels_break_after_the_name():
    fig = {"data": [], "layout": {"annotations": [{"text": "<b>layer 2</b> · hidden, ReLU"}]}}
    assert short_labels(fig)["layout"]["annotations"][0]["text"] == "<b>layer 2</b><br>hidden, ReLU"
    assert fig["layout"]["annotations"][0]["text"].endswith("· hidden, ReLU")


def test_describe_names_a_chart_from_what_it_shows():
    fig = cost_figure(steps=[0, 1], cost_train=[0.5, 0.4], height=200, title="Cost C")
    name, text = describe(fig)
    assert name == "Cost C"
    assert "step" in text and "C (training)" in text
    name, _ = describe(activation_figure())
    assert "sigmoid" in name and "ReLU" in name  # the panels' titles
    assert describe({"data": []}, "Chart") == ("Chart", "Chart.")
    assert plain("a<sup>L</sup> of <b>x</b><sub>1</sub>") == "a^L of x_1"
