"""The inverse of ``ui.figures.encode`` for tests: typed-array specs and PNG data URLs back to
numpy arrays, so that a test reads the numbers a figure carries."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np


def decode(spec: dict[str, str]) -> np.ndarray:
    """The numpy array a typed-array spec encodes (little-endian; "shape" is "rows, cols")."""
    flat = np.frombuffer(
        base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]).newbyteorder("<")
    )
    if "shape" in spec:
        return flat.reshape([int(n) for n in str(spec["shape"]).split(",")])
    return flat


def decode_png(url: str) -> np.ndarray:
    """The (h, w, 3) pixels of a PNG written by ``png_data_url``."""
    png = base64.b64decode(url.split(",", 1)[1])
    w, h = struct.unpack(">II", png[16:24])
    at, data = 8, b""
    while at < len(png):
        (n,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + n]
        at += 12 + n
    rows = np.frombuffer(zlib.decompress(data), dtype=np.uint8).reshape(h, 1 + 3 * w)
    if rows[:, 0].any():
        raise ValueError("decode_png reads unfiltered rows only, as png_data_url writes them")
    return rows[:, 1:].reshape(h, w, 3)
