"""ui.figures.encode: typed arrays as plotly.js reads them, uint8 levels, frame updates."""

import base64
import warnings

import numpy as np
import pytest
from _plotly_utils.utils import to_typed_array_spec

from tests.decode import decode
from ui.figures.encode import apply_updates, quantize, typed


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


def test_typed_keeps_an_arrays_own_type_when_asked():
    assert typed(np.arange(3, dtype=np.uint16), None)["dtype"] == "u2"
    assert typed(np.zeros((2, 3), dtype=np.float64), None)["shape"] == "2, 3"
    # plotly.js has no int64: int32 where the values fit, float64 where not
    np.testing.assert_array_equal(decode(typed(np.array([-5, 7]), None)), [-5, 7])
    assert typed(np.array([2**40]), None)["dtype"] == "f8"
    with pytest.raises(ValueError, match="no typed array holds bool values"):
        typed(np.array([True]), None)


def test_quantize_maps_lo_to_0_hi_to_255_and_clips():
    q = quantize([-1.0, 1.0, -5.0, 5.0, 0.0, np.nan, np.inf], -1, 1)
    assert q.dtype == np.uint8
    # 0 sits at 127.5, rounded to even: 128; NaN is the neutral middle; +inf clips to 255
    assert q.tolist() == [0, 255, 0, 255, 128, 128, 255]


def test_quantize_of_a_diverged_output_warns_of_nothing():
    # a diverged linear output: values at float32's limits, which a scale factor would overflow
    big = np.array([3.0e38, -3.0e38, np.inf, -np.inf, np.nan, 1e30], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q = quantize(big, -1, 1)
        assert quantize(np.float32(3e38), -1, 1).tolist() == 255  # a 0-d value too
    assert q.tolist() == [255, 0, 255, 0, 128, 255]


def test_quantize_needs_a_range():
    with pytest.raises(ValueError, match=r"need finite lo < hi, got lo=1\.0, hi=1\.0"):
        quantize([0.0], 1, 1)


def test_apply_updates_sets_nested_paths():
    fig = {"data": [{"z": 1, "colorbar": {"title": "t"}}]}
    apply_updates(fig, {0: {"z": 2, "colorbar.tickvals": [1]}})
    assert fig["data"][0] == {"z": 2, "colorbar": {"title": "t", "tickvals": [1]}}
    with pytest.raises(ValueError, match="needs whole series"):
        apply_updates(fig, {0: {"x": [], "start": 3}})


def _pillow_pixels(url: str) -> np.ndarray:
    """An independent decoder (Pillow, which Streamlit installs) for png_data_url's output."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    image.load()  # reads every chunk, so a wrong CRC or length fails here
    assert image.mode == "P"  # indexed colour: the browser looks the palette up
    return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("shape", [(1, 1), (20, 20), (100, 100), (7, 3)])
def test_png_data_url_is_lut_of_levels_top_row_first(shape):
    from tests.decode import decode_png
    from ui.figures.encode import png_data_url

    rng = np.random.default_rng(sum(shape))
    lut = rng.integers(0, 256, size=(256, 3), dtype=np.uint8)
    levels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    url = png_data_url(levels, lut)
    assert url.startswith("data:image/png;base64,")
    expected = lut[levels]  # row 0 of levels is the picture's top row, as in the image
    assert np.array_equal(_pillow_pixels(url), expected)
    assert np.array_equal(decode_png(url), expected)


def test_png_palette_holds_only_the_colours_used():
    from ui.figures.encode import png_data_url

    lut = np.arange(256 * 3, dtype=np.uint32).reshape(256, 3).astype(np.uint8)
    few = png_data_url(np.array([[0, 1], [2, 1]], dtype=np.uint8), lut)
    many = png_data_url(np.array([[0, 1], [2, 255]], dtype=np.uint8), lut)
    size = {url: len(base64.b64decode(url.split(",")[1])) for url in (few, many)}
    assert size[many] - size[few] > 700  # 253 more palette entries of 3 bytes
    assert np.array_equal(_pillow_pixels(few), lut[[[0, 1], [2, 1]]])


def test_png_data_url_refuses_what_it_cannot_write():
    from ui.figures.encode import png_data_url

    lut = np.zeros((4, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="beyond the lut"):
        png_data_url(np.array([[4]], dtype=np.uint8), lut)
    with pytest.raises(ValueError, match="uint8"):
        png_data_url(np.array([[1.0]]), lut)
    with pytest.raises(ValueError, match="lut"):
        png_data_url(np.array([[0]], dtype=np.uint8), np.zeros((300, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="2-D"):
        png_data_url(np.zeros((0, 3), dtype=np.uint8), lut)
