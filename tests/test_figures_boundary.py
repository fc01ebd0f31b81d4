import copy
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from tests.decode import decode, decode_png
from ui.figures.boundary import (
    CLASS_LEVELS,
    boundary_figure,
    boundary_update,
    cell_axes,
    class_levels,
    class_map_update,
    curve_figure,
    curve_update,
    plane_grid,
)
from ui.figures.encode import apply_updates, quantize, scale_lut
from ui.figures.style import AREA_BASE, CLASS_PALETTE, CLASS_SYMBOLS, DIVERGING

EXTENT = (-6.0, 6.0, -6.0, 6.0)
RNG = np.random.default_rng(0)
TRAIN_X = RNG.uniform(-6, 6, (2, 40))
TRAIN_Y = (TRAIN_X[0] * TRAIN_X[1] > 0).astype(float)
TEST_X = RNG.uniform(-6, 6, (2, 10))
TEST_Y = (TEST_X[0] * TEST_X[1] > 0).astype(float)


def a_L(nx=30, ny=20):
    """A made-up tanh output over the plane: positive where x₁ > x₂."""
    g = plane_grid(EXTENT, nx, ny)
    return np.tanh(g[0] - g[1]).reshape(ny, nx)


def figure(**kw):
    args = dict(
        z=quantize(a_L(), -1, 1),
        extent=EXTENT,
        value_range=(-1, 1),
        train_x=TRAIN_X,
        train_y=TRAIN_Y,
        test_x=TEST_X,
        test_y=TEST_Y,
    )
    return boundary_figure(**{**args, **kw})


def valid(fig):
    """plotly.py accepts the dict (slow validation: fine in a test), and the JSON has no NaN."""
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    return fig


def test_plane_grid_is_cell_centres_row_by_row():
    g = plane_grid((0, 4, 0, 2), nx=4, ny=2)
    assert g.shape == (2, 8)
    # row 0 is the bottom row: x₂ = 0.5; x₁ runs through the 4 cell centres
    np.testing.assert_allclose(g[:, :4], [[0.5, 1.5, 2.5, 3.5], [0.5] * 4])
    np.testing.assert_allclose(g[1, 4:], [1.5] * 4)


def test_image_pixels_sit_where_plane_grid_evaluated_them():
    img = figure(live=True)["layout"]["images"][0]
    g = plane_grid(EXTENT, 30, 20)
    dx, dy = img["sizex"] / 30, img["sizey"] / 20
    # the image's top-left corner is (x_min, y_max); pixel centres are half a cell inside
    assert (img["xanchor"], img["yanchor"], img["sizing"]) == ("left", "top", "stretch")
    assert img["x"] + dx / 2 == pytest.approx(g[0, 0])
    assert img["y"] - img["sizey"] + dy / 2 == pytest.approx(g[1, 0])  # bottom row = row 0
    assert img["x"] + 29.5 * dx == pytest.approx(g[0, 29])


def test_heatmap_cells_sit_where_plane_grid_evaluated_them():
    heat = figure()["data"][0]
    g = plane_grid(EXTENT, 30, 20)
    assert heat["x0"] == pytest.approx(g[0, 0]) and heat["y0"] == pytest.approx(g[1, 0])
    assert heat["x0"] + 29 * heat["dx"] == pytest.approx(g[0, 29])
    assert heat["y0"] + 19 * heat["dy"] == pytest.approx(g[1, -1])


def test_cell_axes_of_every_map_are_plane_grids_cells():
    # the heatmaps and contours of the lecture pages use the same cells as the Playground
    g = plane_grid(EXTENT, 30, 20)
    cells = cell_axes(EXTENT, (20, 30))
    assert (cells["x0"], cells["y0"]) == pytest.approx((g[0, 0], g[1, 0]))
    assert cells["x0"] + 29 * cells["dx"] == pytest.approx(g[0, 29])
    assert cells["y0"] + 19 * cells["dy"] == pytest.approx(g[1, -1])
    with pytest.raises(ValueError, match="extent must be finite"):
        cell_axes((1, 0, 0, 1), (2, 2))


@pytest.mark.parametrize("kind", ["classification", "regression"])
@pytest.mark.parametrize("show_test", [False, True])
def test_boundary_figure_is_a_valid_plotly_figure(kind, show_test):
    fig = valid(figure(kind=kind, show_test=show_test, discretize=True, title="XOR"))
    assert fig["data"][0]["type"] == "heatmap"
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x"
    assert fig["layout"]["xaxis"]["title"]["text"] == "x₁"
    assert fig["layout"]["yaxis"]["title"]["text"] == "x₂"
    assert not fig["layout"]["xaxis"]["showgrid"] and not fig["layout"]["yaxis"]["showgrid"]
    assert fig["layout"]["uirevision"]


def test_trace_order_is_stable_and_test_points_are_hidden_not_removed():
    shown, hidden = figure(show_test=True), figure(show_test=False)
    names = [t["name"] for t in shown["data"]]
    assert names == [t["name"] for t in hidden["data"]]
    assert names == ["network output a^L", "class 0", "class 1", "test data", "test data"]
    assert [t["visible"] for t in hidden["data"][1:]] == [True, True, False, False]
    assert all(t["visible"] for t in shown["data"][1:])


def test_points_are_split_by_class_and_test_points_have_another_marker():
    fig = figure(show_test=True)
    class1 = decode(fig["data"][2]["x"])
    np.testing.assert_allclose(class1, TRAIN_X[0, TRAIN_Y == 1].astype(np.float32))
    train_marker, test_marker = fig["data"][1]["marker"], fig["data"][3]["marker"]
    # distinguishable without colour: the class by its shape, training (filled) from test
    # (white, outlined in the class's colour) by the fill
    assert train_marker["symbol"] == test_marker["symbol"] == CLASS_SYMBOLS[0]
    assert fig["data"][2]["marker"]["symbol"] == CLASS_SYMBOLS[1] != CLASS_SYMBOLS[0]
    assert test_marker["color"] == "#ffffff" != train_marker["color"]
    assert test_marker["line"]["color"] == train_marker["color"] == CLASS_PALETTE[0]


def test_z_round_trips_as_uint8_with_its_shape():
    z = quantize(a_L(), -1, 1)
    spec = figure(z=z)["data"][0]["z"]
    assert spec["dtype"] == "u1" and spec["shape"] == "20, 30"
    np.testing.assert_array_equal(decode(spec), z)


def test_colour_bar_is_labelled_in_a_L_units():
    heat = figure(value_range=(0, 1))["data"][0]
    assert (heat["zmin"], heat["zmax"]) == (0, 255)
    bar = heat["colorbar"]
    assert bar["ticktext"] == ["0", "0.25", "0.5", "0.75", "1"]
    # tick 0.5 of a^L sits at 127.5 on the 0 … 255 scale
    assert bar["tickvals"][2] == pytest.approx(127.5)


def test_float_z_is_sent_as_float32_and_hover_shows_a_L():
    heat = figure(z=a_L())["data"][0]
    assert heat["z"]["dtype"] == "f4"
    assert (heat["zmin"], heat["zmax"]) == (-1, 1)
    assert "%{z" in heat["hovertemplate"]
    assert "%{z" not in figure()["data"][0]["hovertemplate"]  # uint8: no fake a^L in hover


def test_discretize_changes_only_the_colour_scale():
    plain, stepped = figure(discretize=False), figure(discretize=True)
    assert plain["data"][0]["colorscale"] == DIVERGING
    scale = stepped["data"][0]["colorscale"]
    assert [p for p, _ in scale] == [0.0, 0.5, 0.5, 1.0]  # one step, at the middle of lo … hi
    assert scale[0][1] == scale[1][1] != scale[2][1] == scale[3][1]
    for fig in (plain, stepped):
        del fig["data"][0]["colorscale"]
    assert plain == stepped


def test_discretize_threshold_moves_the_step():
    scale = figure(discretize=True, value_range=(0, 1), threshold=0.25)["data"][0]["colorscale"]
    assert scale[1][0] == pytest.approx(0.25)


def test_regression_ignores_discretize_and_colours_points_by_target():
    fig = valid(figure(kind="regression", discretize=True, train_y=np.linspace(-1, 1, 40)))
    assert fig["data"][0]["colorscale"] == DIVERGING
    assert len(fig["data"]) == 3
    np.testing.assert_allclose(decode(fig["data"][1]["marker"]["color"]), np.linspace(-1, 1, 40))


def image(fig):
    return fig["layout"]["images"][0]


def test_the_map_is_an_image_coloured_by_the_scale_with_row_0_at_the_bottom():
    z = quantize(a_L(), -1, 1)
    pixels = decode_png(image(figure(live=True, z=z))["source"])
    assert pixels.shape == (20, 30, 3)
    np.testing.assert_array_equal(pixels, scale_lut(DIVERGING)[z[::-1]])


def test_colour_bar_is_labelled_in_a_L_units_live():
    bar = figure(live=True, value_range=(0, 1))["data"][0]["marker"]
    assert (bar["cmin"], bar["cmax"]) == (0, 1) and bar["showscale"]
    assert bar["colorbar"]["ticktext"] == ["0", "0.25", "0.5", "0.75", "1"]
    assert bar["colorbar"]["tickvals"][2] == pytest.approx(0.5)


def test_float_z_is_quantized_to_the_same_picture():
    assert image(figure(live=True, z=a_L()))["source"] == image(figure(live=True))["source"]


def test_discretize_changes_only_the_colours():
    plain, stepped = figure(live=True, discretize=False), figure(live=True, discretize=True)
    assert plain["data"][0]["marker"]["colorscale"] == DIVERGING
    scale = stepped["data"][0]["marker"]["colorscale"]
    assert [p for p, _ in scale] == [0.0, 0.5, 0.5, 1.0]  # one step, at the middle of lo … hi
    assert scale[0][1] == scale[1][1] != scale[2][1] == scale[3][1]
    colours = {tuple(c) for c in decode_png(image(stepped)["source"]).reshape(-1, 3)}
    assert len(colours) == 2  # two flat areas
    for fig in (plain, stepped):
        del fig["data"][0]["marker"]["colorscale"]
        del fig["layout"]["images"][0]["source"]
    assert plain == stepped


def test_discretize_threshold_moves_the_step_live():
    fig = figure(live=True, discretize=True, value_range=(0, 1), threshold=0.25)
    assert fig["data"][0]["marker"]["colorscale"][1][0] == pytest.approx(0.25)


def test_regression_ignores_discretize_and_colours_points_by_target_live():
    fig = valid(
        figure(live=True, kind="regression", discretize=True, train_y=np.linspace(-1, 1, 40))
    )
    assert fig["data"][0]["marker"]["colorscale"] == DIVERGING
    assert len(fig["data"]) == 3
    np.testing.assert_allclose(decode(fig["data"][1]["marker"]["color"]), np.linspace(-1, 1, 40))


@pytest.mark.parametrize("new_z", [quantize(-a_L(), -1, 1), -a_L()])
def test_boundary_update_turns_a_figure_into_the_one_built_with_the_new_z(new_z):
    for discretize in (False, True):
        fig = figure(live=True, discretize=discretize)
        update = boundary_update(new_z, value_range=(-1, 1), discretize=discretize)
        assert list(update) == ["layout"]  # no trace is touched
        image(fig)["source"] = update["layout"]["images[0].source"]
        assert fig == figure(live=True, z=new_z, discretize=discretize)


def test_boundary_inputs_are_checked():
    with pytest.raises(ValueError, match=r"z must be uint8 \(quantize\) or float, got dtype int64"):
        figure(z=np.zeros((3, 3), dtype=np.int64))
    with pytest.raises(ValueError, match=r"z must be a 2-D \(ny, nx\) array, got shape \(9,\)"):
        figure(z=np.zeros(9, dtype=np.uint8))
    with pytest.raises(ValueError, match="extent must be finite with x_min < x_max"):
        figure(extent=(1, 0, 0, 1))
    with pytest.raises(ValueError, match="value range must be finite"):
        figure(value_range=(1, 1))
    with pytest.raises(ValueError, match=r"training x must have shape \(2, N\), got \(40, 2\)"):
        figure(train_x=TRAIN_X.T)
    with pytest.raises(ValueError, match="unknown kind 'clustering'"):
        figure(kind="clustering")


def test_boundary_without_test_set():
    fig = valid(figure(test_x=None, test_y=None, show_test=True))
    assert [len(decode(t["x"])) for t in fig["data"][3:]] == [0, 0]


# --------------------------------------------------------------------------------------------
# 1-D


def curve(**kw):
    gx = np.linspace(-6, 6, 200)
    args = dict(
        grid_x=gx,
        output=np.sin(gx),
        train_x=np.linspace(-6, 6, 30)[None, :],
        train_y=np.sin(np.linspace(-6, 6, 30)),
        test_x=np.linspace(-5, 5, 8),
        test_y=np.sin(np.linspace(-5, 5, 8)),
    )
    return curve_figure(**{**args, **kw})


@pytest.mark.parametrize("show_test", [False, True])
def test_curve_figure_is_valid_with_the_line_first(show_test):
    fig = valid(curve(show_test=show_test, title="sine"))
    assert [t["mode"] for t in fig["data"]] == ["lines", "markers", "markers"]
    assert fig["data"][2]["visible"] is show_test
    lo, hi = fig["layout"]["yaxis"]["range"]
    assert lo < -1 < 1 < hi  # room around the targets, fixed while training


def test_curve_update_replaces_the_line_and_handles_non_finite_output():
    fig = curve()
    new = np.cos(np.linspace(-6, 6, 200))
    new[5] = np.inf
    update = curve_update(new)
    assert list(update) == [0]
    apply_updates(fig, update)
    y = decode(fig["data"][0]["y"])
    assert np.isnan(y[5]) and np.isfinite(np.delete(y, 5)).all()  # a gap, never inf
    valid(fig)


def test_curve_checks_shapes():
    with pytest.raises(ValueError, match=r"output must have shape \(200,\) like grid_x"):
        curve(output=np.zeros(10))


def test_figures_do_not_share_mutable_state():
    a = figure()
    b = copy.deepcopy(a)
    a["data"][1]["marker"]["line"]["width"] = 99
    a["layout"]["font"]["size"] = 1
    a["layout"]["xaxis"]["tickfont"]["size"] = 1
    assert figure() == b


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_hover_numbers_are_short_whatever_their_size(kind):
    """Issue 10: uploaded points may lie at 1e300 and a^L of a diverged run be huge; a fixed-
    point format (.2f, .3f) made hover labels of hundreds of digits."""
    import re

    from ui.notation import COORD, HOVER

    z = a_L().astype(np.float32)
    fig = figure(kind=kind, z=z)
    specs = re.findall(r"%\{[^}:]+:([^}]+)\}", str([t.get("hovertemplate") for t in fig["data"]]))
    assert specs and set(specs) <= {COORD, HOVER}, set(specs)


# ---------------------------------------------------------------------------- K classes
def three_classes():
    """Three made-up outputs over a 4 × 3 plane and three classes of points."""
    cls = np.array([[0, 1, 2, 0], [1, 1, 2, 2], [0, 0, 0, 1]])
    conf = np.array([[1.0, 0.5, 0.0, np.nan], [1.0, 1.0, 1.0, 0.25], [0.0, 1.0, 1.0, 1.0]])
    y = np.arange(TRAIN_X.shape[1]) % 3
    return cls, conf, y


def test_class_levels_pack_class_and_confidence_into_one_byte():
    cls, conf, _ = three_classes()
    levels = class_levels(cls, conf)
    assert levels.dtype == np.uint8 and levels.shape == cls.shape
    np.testing.assert_array_equal(levels // CLASS_LEVELS, cls)
    # 1 → the last shade, 0 and NaN (a diverged output) → the first (unsure), 0.5 → the middle
    assert levels[0, 0] == CLASS_LEVELS - 1 and levels[0, 2] == 2 * CLASS_LEVELS
    assert levels[0, 3] == 0 and levels[0, 1] == CLASS_LEVELS + (CLASS_LEVELS - 1) // 2
    with pytest.raises(ValueError, match="one shape"):
        class_levels(cls, conf[:2])
    with pytest.raises(ValueError, match="classes must be 0 to"):
        class_levels(np.array([[11]]), np.array([[1.0]]))


def test_k_class_picture_is_the_winning_class_coloured_by_confidence():
    cls, conf, y = three_classes()
    fig = valid(
        figure(
            class_map=class_levels(cls, conf),
            train_y=y,
            test_y=np.arange(TEST_X.shape[1]) % 3,
            class_names=("a", "b", "<b>c</b>"),
            live=True,
        )
    )
    pixels = decode_png(fig["layout"]["images"][0]["source"])[::-1]  # row 0 = bottom again
    assert pixels.shape == (3, 4, 3)
    # unsure: the neutral base, whatever the class; sure: a shade of the class's own colour
    np.testing.assert_array_equal(pixels[0, 2], AREA_BASE)
    np.testing.assert_array_equal(pixels[2, 0], AREA_BASE)
    for (i, j), k in (((0, 0), 0), ((1, 2), 2), ((1, 0), 1)):
        rgb = np.array([int(CLASS_PALETTE[k][p : p + 2], 16) for p in (1, 3, 5)])
        towards = pixels[i, j].astype(float) - np.array(AREA_BASE)
        # the sure colour lies on the line from the base to the class's colour
        np.testing.assert_allclose(
            towards / np.linalg.norm(towards),
            (rgb - AREA_BASE) / np.linalg.norm(rgb - AREA_BASE),
            atol=0.02,
        )
    # trace 0 has no colour bar; then 3 training and 3 test traces, one shape per class
    assert "marker" not in fig["data"][0] and len(fig["data"]) == 7
    assert [t["marker"]["symbol"] for t in fig["data"][1:]] == list(CLASS_SYMBOLS[:3]) * 2
    assert [t["name"] for t in fig["data"][1:4]] == ["a", "b", "&lt;b&gt;c&lt;/b&gt;"]
    for c in range(3):
        np.testing.assert_allclose(
            decode(fig["data"][1 + c]["x"]), TRAIN_X[0, y == c].astype(np.float32)
        )
    # a frame's update is the picture alone
    update = class_map_update(class_levels(cls, np.ones_like(conf)), 3)
    assert list(update) == ["layout"] and list(update["layout"]) == ["images[0].source"]


def test_ten_classes_fit_the_palette_and_eleven_do_not():
    names = [f"c{k}" for k in range(10)]
    fig = figure(train_y=np.arange(40) % 10, test_y=np.arange(10), class_names=names)
    assert len({t["marker"]["symbol"] for t in fig["data"][1:11]}) == 10
    with pytest.raises(ValueError, match="2 to 10 classes"):
        figure(class_names=[*names, "one more"])
