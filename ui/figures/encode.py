"""How figures travel: Plotly typed arrays, uint8 levels, PNG data URLs, frame updates.

The figure builders (``ui/figures/*.py``) run on every animation frame, so they return plain dicts
``{"data": [...], "layout": {...}}`` instead of ``go.Figure`` objects (whose validation costs
milliseconds) and send every numeric array as a Plotly typed-array spec,
``{"dtype": "f4", "bdata": <base64>, "shape": "rows, cols"}``: the format plotly.py's own encoder
writes (``_plotly_utils.utils.to_typed_array_spec``) and plotly.js ≥ 2.28 decodes
(``Lib.decodeTypedArraySpec``). Bytes are little-endian; ``shape`` is only written for 2-D
arrays, as "rows, cols", so a 2-D heatmap z of shape (ny, nx) has ny rows of nx values.

NaN inside a float typed array is a gap for plotly.js (a missing point: a scatter line breaks
there, a heatmap cell stays transparent), exactly like ``null`` in a JSON list; the builders turn
±inf into NaN before encoding because plotly.js would treat ±inf the same way only by accident.
"""

from __future__ import annotations

import base64
import functools
import math
import struct
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# ---------------------------------------------------------------------------------------------
# Typed arrays

_DTYPES = {
    "f4": np.dtype("<f4"),
    "f8": np.dtype("<f8"),
    "u1": np.dtype("u1"),
    "i1": np.dtype("i1"),
    "u2": np.dtype("<u2"),
    "i2": np.dtype("<i2"),
    "u4": np.dtype("<u4"),
    "i4": np.dtype("<i4"),
}


def typed(arr: Any, dtype: str | None = "f4") -> dict[str, str]:
    """``arr`` as a Plotly typed-array spec: 1-D, or 2-D with ``"shape": "rows, cols"``.

    Float dtypes keep NaN (a gap for plotly.js) and turn ±inf into NaN, and so values beyond
    float32's range (|v| > 3.4e38: a diverged run) as well. Integer dtypes must receive values
    that fit (use ``quantize`` for uint8): nothing is silently wrapped. ``dtype=None`` keeps
    the array's own type (for arrays put into a message as they are, ``ui.web.live_chart``),
    with 64-bit integers as int32, or float64 where they do not fit (plotly.js has no int64).
    """
    a = np.asarray(arr)
    if dtype is None:
        dtype = _own_dtype(a)
    try:
        np_dtype = _DTYPES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r}; expected one of {sorted(_DTYPES)}") from None
    if a.ndim not in (1, 2):
        raise ValueError(f"typed arrays are 1-D or 2-D, got shape {a.shape}")
    if np_dtype.kind == "f":
        with np.errstate(over="ignore"):  # beyond float32's ±3.4e38: inf, then NaN below
            a = np.ascontiguousarray(a, dtype=np_dtype)
        inf = np.isinf(a)
        if inf.any():  # (NaN, e.g. the gaps between segments, is kept as it is)
            a = np.where(inf, np.nan, a).astype(np_dtype)
    else:
        if a.dtype != np_dtype:
            if a.size and (a.dtype.kind == "f" and not np.isfinite(a).all()):
                raise ValueError(f"cannot encode NaN or ±inf as {dtype}")
            info = np.iinfo(np_dtype)
            if a.size and (a.min() < info.min or a.max() > info.max):
                raise ValueError(
                    f"values must lie in [{info.min}, {info.max}] for {dtype}, "
                    f"got [{a.min()}, {a.max()}]"
                )
        a = np.ascontiguousarray(a, dtype=np_dtype)
    spec = {"dtype": dtype, "bdata": base64.b64encode(a.data).decode("ascii")}
    if a.ndim == 2:
        spec["shape"] = f"{a.shape[0]}, {a.shape[1]}"
    return spec


def _own_dtype(a: np.ndarray) -> str:
    """The typed-array dtype that holds ``a``'s values as they are."""
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == "f":
        return "f8" if size > 4 else "f4"
    if kind in "iu" and size == 8:
        return "i4" if not a.size or np.abs(a).max() < 2**31 else "f8"
    if kind in "iu":
        return f"{kind}{size}"
    raise ValueError(f"no typed array holds {a.dtype} values")


def apply_updates(figure: dict[str, Any], updates: Mapping[Any, Mapping[str, Any]]) -> None:
    """Apply a frame's updates to a figure dict in place, as the browser does.

    Integer keys are trace indices; the key "layout" holds layout changes (Plotly.relayout).
    Paths like "colorbar.tickvals" or "images[2].source" set nested attributes. Updates with
    ``"start": n`` are appends the browser merges by index; here they need the whole series.
    """
    for index, update in updates.items():
        if update.get("start", 0):
            raise ValueError("apply_updates needs whole series (start = 0)")
        target = figure["layout"] if index == "layout" else figure["data"][int(index)]
        for path, value in update.items():
            if path != "start":
                _set_path(target, path, value)


def _set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        if part.endswith("]"):
            name, i = part[:-1].split("[")
            obj = obj[name][int(i)]
        else:
            obj = obj.setdefault(part, {})
    obj[last] = value


def scale_lut(colorscale: Sequence[Sequence[Any]]) -> np.ndarray:
    """A (256, 3) uint8 table: the RGB colour of each level 0 … 255 of ``colorscale``.

    Linear interpolation between stops, like plotly.js; two stops at one position make a step.
    The table is cached per scale (a frame asks for it again) and read-only.
    """
    return _lut(tuple((float(p), str(c)) for p, c in colorscale))


@functools.lru_cache(maxsize=64)
def _lut(colorscale: tuple[tuple[float, str], ...]) -> np.ndarray:
    pos = np.array([p for p, _ in colorscale])
    rgb = np.array([_rgb(c) for _, c in colorscale], dtype=np.float64)
    levels = np.linspace(0.0, 1.0, 256)
    # the last stop at each position wins for levels exactly on a step
    idx = np.clip(np.searchsorted(pos, levels, side="right"), 1, len(pos) - 1)
    left, right = pos[idx - 1], pos[idx]
    t = np.where(right > left, (levels - left) / np.where(right > left, right - left, 1.0), 1.0)
    out = rgb[idx - 1] + (rgb[idx] - rgb[idx - 1]) * np.clip(t, 0.0, 1.0)[:, None]
    lut = np.rint(out).astype(np.uint8)
    lut.flags.writeable = False
    return lut


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.strip()
    if c.startswith("#") and len(c) == 7:
        return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)
    if c.startswith("rgb"):
        parts = c[c.index("(") + 1 : c.index(")")].split(",")
        return int(float(parts[0])), int(float(parts[1])), int(float(parts[2]))
    raise ValueError(f"colour {color!r}: expected '#rrggbb' or 'rgb(r, g, b)'")


def png_data_url(levels: np.ndarray, lut: np.ndarray) -> str:
    """A PNG data URL of ``lut[levels]``: row 0 of ``levels`` is the TOP row of the picture.

    An indexed-colour PNG: the pixels are ``levels`` themselves, one byte each, and ``lut`` is
    its palette (its first ``levels.max() + 1`` colours), so the browser's PNG decoder looks
    the colours up. Against an RGB PNG this compresses a third of the bytes and skips the
    lookup: a frame of the default Playground (the boundary and seven neuron pictures) costs
    the server 0.1 ms less (benchmarks/README.md). Written with zlib and
    struct, so no imaging library is needed. The boundary map travels this way because the
    browser redraws a layout image without redrawing a single trace, which is far cheaper than
    a Plotly heatmap.
    """
    levels = np.asarray(levels)
    if levels.ndim != 2 or levels.dtype != np.uint8 or min(levels.shape) < 1:
        raise ValueError(f"levels must be a 2-D uint8 array, got {levels.dtype} {levels.shape}")
    lut = np.asarray(lut)
    if lut.ndim != 2 or lut.shape[1] != 3 or lut.dtype != np.uint8 or not 1 <= len(lut) <= 256:
        raise ValueError(f"lut must be (n ≤ 256, 3) uint8 colours, got {lut.dtype} {lut.shape}")
    colours = int(levels.max()) + 1
    if colours > len(lut):
        raise ValueError(f"levels go up to {colours - 1}, beyond the lut's {len(lut)} colours")
    h, w = levels.shape
    raw = np.zeros((h, 1 + w), dtype=np.uint8)  # each row: filter byte 0 (None), then indices
    raw[:, 1:] = levels
    # zlib's fastest level: much faster than the default, a little larger; a small picture (a
    # neuron's 20 × 20) is stored as it is: 1 µs instead of 11, 90 bytes more (benchmarks/README.md)
    idat = zlib.compress(raw.tobytes(), 0 if raw.nbytes <= STORED_PNG_BYTES else 1)
    png = b"".join(
        (
            _png_head(w, h, lut[:colours].tobytes()),
            struct.pack(">I", len(idat)),
            b"IDAT",
            idat,
            struct.pack(">I", zlib.crc32(idat, _IDAT_CRC)),
            _PNG_END,
        )
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


@functools.lru_cache(maxsize=64)
def _png_head(w: int, h: int, palette: bytes) -> bytes:
    """The signature, header and palette chunks of an 8-bit indexed-colour PNG of w × h."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
        + _chunk(b"PLTE", palette)
    )


STORED_PNG_BYTES = 2048  # pictures up to this many pixel bytes are not compressed
_IDAT_CRC = zlib.crc32(b"IDAT")
_PNG_END = _chunk(b"IEND", b"")


def quantize(values: Any, lo: float, hi: float) -> np.ndarray:
    """values mapped linearly from [lo, hi] onto the integers 0 … 255 (clipped), as uint8.

    NaN maps to 128, the neutral middle of the diverging scale (neither class). A colour scale
    cannot show more than 256 levels, so a uint8 heatmap loses nothing visible and is a quarter
    of float32's payload.
    """
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ValueError(f"need finite lo < hi, got lo={lo}, hi={hi}")
    v = np.asarray(values, dtype=np.float32)
    # Clipped to [lo, hi] first, so that no value can overflow float32 when scaled (a diverged
    # linear output reaches ±3e38); ±inf land on lo and hi, NaN stays NaN. A new array: the
    # rest works in place.
    scaled = np.asarray(np.clip(v, np.float32(lo), np.float32(hi)))
    scaled -= np.float32(lo)
    scaled *= np.float32(255.0 / (hi - lo))
    np.clip(scaled, 0.0, 255.0, out=scaled)  # rounding at the ends
    np.rint(scaled, out=scaled)
    nan = np.isnan(scaled)
    if nan.any():
        scaled[nan] = 128.0
    return scaled.astype(np.uint8)


def u8_position(value: float, lo: float, hi: float) -> float:
    """Where ``quantize`` puts ``value`` on the 0 … 255 scale (unrounded), for colour-bar ticks."""
    return (float(value) - lo) * 255.0 / (hi - lo)


def finite_or_nan(values: Any) -> np.ndarray:
    """float64 copy with ±inf replaced by NaN (a gap)."""
    v = np.array(values, dtype=np.float64)
    v[np.isinf(v)] = np.nan
    return v


def as_1d(values: Any, name: str) -> np.ndarray:
    """values as a float64 1-D array; a clear error otherwise."""
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 2 and 1 in v.shape:
        v = v.reshape(-1)
    if v.ndim != 1:
        raise ValueError(f"{name} must be 1-D (or a single row), got shape {v.shape}")
    return v
