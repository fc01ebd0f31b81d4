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
    """The (h, w, 3) pixels of a PNG written by ``png_data_url`` (indexed colour: each pixel
    is its palette entry)."""
    png = base64.b64decode(url.split(",", 1)[1])
    w, h, depth, colour_type = struct.unpack(">IIBB", png[16:26])
    if (depth, colour_type) != (8, 3):
        raise ValueError("decode_png reads 8-bit indexed-colour PNGs, as png_data_url writes")
    at, data, palette = 8, b"", None
    while at < len(png):
        (n,) = struct.unpack(">I", png[at : at + 4])
        tag, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + n]
        if zlib.crc32(tag + body) != struct.unpack(">I", png[at + 8 + n : at + 12 + n])[0]:
            raise ValueError(f"chunk {tag!r}: wrong CRC")
        if tag == b"PLTE":
            palette = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif tag == b"IDAT":
            data += body
        at += 12 + n
    if palette is None:
        raise ValueError("an indexed-colour PNG needs a PLTE chunk")
    rows = np.frombuffer(zlib.decompress(data), dtype=np.uint8).reshape(h, 1 + w)
    if rows[:, 0].any():
        raise ValueError("decode_png reads unfiltered rows only, as png_data_url writes them")
    indices = rows[:, 1:]
    if indices.max() >= len(palette):
        raise ValueError("a pixel's index is beyond the palette")
    return palette[indices]
