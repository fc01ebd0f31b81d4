import base64
import subprocess
import sys
import warnings

import numpy as np
import pytest
from _plotly_utils.utils import to_typed_array_spec

from ui import plotly_data as pd_
from ui.plotly_data import (
    CATEGORICAL,
    CLASS_COLORS,
    DIVERGING,
    apply_updates,
    decode,
    nice_ticks,
    quantize,
    sub,
    sup,
    typed,
    weight_name,
)

FIGURE_MODULES = ("plotly_data", "fig_boundary", "fig_curves", "fig_network", "fig_activations")


def test_typed_matches_plotlys_own_encoder():
    # plotly.py's encoder is the reference for the format plotly.js decodes
    z = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    assert typed(z, "f4") == to_typed_array_spec(z)
    u = np.arange(6, dtype=np.uint8)
    assert typed(u, "u1") == to_typed_array_spec(u)


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (np.linspace(-3, 3, 7), "f4"),
        (np.arange(20, dtype=np.uint8).reshape(4, 5), "u1"),
        (np.array([0, 5, 2_000_000]), "i4"),
        (np.array([1.5, -2.25]), "f8"),
    ],
)
def test_typed_round_trip(values, dtype):
    spec = typed(values, dtype)
    assert spec["dtype"] == dtype
    assert ("shape" in spec) == (values.ndim == 2)
    np.testing.assert_array_equal(decode(spec), values.astype(decode(spec).dtype))


def test_typed_2d_shape_is_rows_then_columns():
    spec = typed(np.zeros((100, 80), dtype=np.uint8), "u1")
    assert spec["shape"] == "100, 80"
    assert len(base64.b64decode(spec["bdata"])) == 8000


def test_typed_turns_inf_and_float32_overflow_into_nan_and_keeps_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        out = decode(typed([1.0, np.inf, -np.inf, np.nan, 1e300, -1e300]))
    assert out[0] == 1.0
    assert np.isnan(out[1:]).all()


def test_typed_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match=r"values must lie in \[0, 255\] for u1, got \[-1, 300\]"):
        typed(np.array([-1, 300]), "u1")
    with pytest.raises(ValueError, match="typed arrays are 1-D or 2-D, got shape"):
        typed(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="unknown dtype 'f2'"):
        typed([1.0], "f2")
    with pytest.raises(ValueError, match="cannot encode NaN"):
        typed([np.nan], "u1")


def test_quantize_maps_lo_to_0_hi_to_255_and_clips():
    q = quantize([-1.0, 1.0, -5.0, 5.0, 0.0, np.nan, np.inf], -1, 1)
    assert q.dtype == np.uint8
    # 0 sits at 127.5, rounded to even: 128; NaN is the neutral middle; +inf clips to 255
    assert q.tolist() == [0, 255, 0, 255, 128, 128, 255]


def test_quantize_needs_a_range():
    with pytest.raises(ValueError, match=r"need finite lo < hi, got lo=1\.0, hi=1\.0"):
        quantize([0.0], 1, 1)


def test_notation_helpers():
    assert sup(3) == "³"
    assert sup(10) == "¹⁰"
    assert sub(12) == "₁₂"
    assert weight_name(3, 1, 2) == "w³₁₂"
    # two-digit indices get a comma, so w^l_{11,2} and w^l_{1,12} differ
    assert weight_name(3, 11, 2) == "w³₁₁,₂"
    assert weight_name(3, 1, 12) == "w³₁,₁₂"


def test_nice_ticks():
    assert nice_ticks(-1, 1) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert nice_ticks(0, 1) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(-0.3, 2.1)[0] >= -0.3


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
    assert pd_.categorical(8) == (CATEGORICAL[0], "dash")


def test_apply_updates_sets_nested_paths():
    fig = {"data": [{"z": 1, "colorbar": {"title": "t"}}]}
    apply_updates(fig, {0: {"z": 2, "colorbar.tickvals": [1]}})
    assert fig["data"][0] == {"z": 2, "colorbar": {"title": "t", "tickvals": [1]}}
    with pytest.raises(ValueError, match="needs whole series"):
        apply_updates(fig, {0: {"x": [], "start": 3}})


def test_figure_modules_never_import_streamlit_or_pandas():
    code = (
        "import sys, importlib\n"
        f"for m in {FIGURE_MODULES!r}: importlib.import_module('ui.' + m)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('streamlit', 'pandas'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"a figure module imported: {out.stdout.strip()}"
