"""ui.figures.style: the palette reads on a projector and for colour-blind students."""

import numpy as np

from ui.figures import style
from ui.figures.style import (
    CATEGORICAL,
    CLASS_COLORS,
    CLASS_PALETTE,
    CLASS_SYMBOLS,
    DIVERGING,
    class_area_color,
    class_marker,
    nice_ticks,
)


def _luminance(hex_color):
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def _contrast_with_white(hex_color):
    return 1.05 / (_luminance(hex_color) + 0.05)


def test_class_colours_are_orange_then_blue_and_readable_on_a_projector():
    (r0, _, b0), (r1, _, b1) = ([int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLORS)
    assert r0 > b0 and b1 > r1, "class 0 / negative is orange, class 1 / positive is blue"
    # WCAG's 4.5 : 1 for text: a washed-out projector still shows them against white
    assert min(_contrast_with_white(c) for c in CLASS_COLORS) >= 4.5


def test_diverging_scale_runs_orange_white_blue():
    positions = [p for p, _ in DIVERGING]
    assert positions[0] == 0 and positions[-1] == 1 and positions == sorted(positions)
    low, mid, high = DIVERGING[0][1], dict(DIVERGING)[0.5], DIVERGING[-1][1]
    assert int(low[1:3], 16) > int(low[5:7], 16)  # orange
    assert int(high[5:7], 16) > int(high[1:3], 16)  # blue
    assert _luminance(mid) > 0.85  # white-ish


def test_categorical_palette_has_distinct_colours():
    assert len(set(CATEGORICAL)) == len(CATEGORICAL) == 8
    assert style.categorical(8) == (CATEGORICAL[0], "dash")


def test_nice_ticks():
    assert nice_ticks(-1, 1) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert nice_ticks(0, 1) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(-0.3, 2.1)[0] >= -0.3


def test_one_colour_and_one_shape_per_class_for_ten_classes():
    assert len(set(CLASS_PALETTE)) == len(CLASS_PALETTE) == 10
    assert len(set(CLASS_SYMBOLS)) == len(CLASS_SYMBOLS) == 10
    assert CLASS_PALETTE[:2] == CLASS_COLORS  # two classes look as they always did
    # every class colour keeps 4 : 1 against white (graphics need 3 : 1; a projector washes out)
    assert min(_contrast_with_white(c) for c in CLASS_PALETTE) >= 4.0
    # the six classes a generated set can have are the Okabe–Ito hues, far apart in colour
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_PALETTE[:6]])
    gaps = [np.linalg.norm(rgb[i] - rgb[j]) for i in range(6) for j in range(i)]
    assert min(gaps) > 50  # the closest: blue and sky blue, which differ in lightness


def test_class_markers_tell_training_from_test_without_colour():
    for k in range(10):
        train, test = class_marker(k), class_marker(k, "test")
        assert train["symbol"] == test["symbol"] == CLASS_SYMBOLS[k]
        assert train["color"] == CLASS_PALETTE[k] == test["line"]["color"]
        assert test["color"] == "#ffffff"


def test_class_area_colour_runs_from_neutral_to_a_light_shade_of_the_class():
    assert class_area_color(3, 0.0) == class_area_color(0, 0.0)
    sure = np.array(class_area_color(2, 1.0))
    full = np.array([int(CLASS_PALETTE[2][i : i + 2], 16) for i in (1, 3, 5)])
    assert (sure > full).all()  # lighter than the points drawn on top of it
    assert class_area_color(2, 5.0) == class_area_color(2, 1.0)  # clipped
