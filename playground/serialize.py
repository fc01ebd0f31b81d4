"""Saving and loading a network as JSON: sizes, activations, cost, weights and biases.

Any network the engine builds is saved: K_L ≥ 2 outputs, a softmax output ("softmax" as the
last activation), and its regularisation, ``"regularization": {"name": "l2", "rate": 0.03}``
(a file without it, as saved before, loads with none).

Floats are written by Python's ``json`` (shortest repr that reads back to the same double), so a
save followed by a load gives bit-identical w^l and b^l. Anything a person may have edited by
hand is validated before it reaches the engine, and a failure says what was wrong.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from playground.network import Network

FORMAT = "nn-playground/network"
VERSION = 1
MAX_JSON_BYTES = 2_000_000


def network_to_dict(net: Network, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready description; ``extra`` (e.g. the app's configuration) is stored beside it."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "sizes": list(net.sizes),
        "activations": list(net.activations),
        "cost": net.cost.name,
        "init": net.init,
        "seed": net.seed,
        "regularization": {"name": net.regularization.name, "rate": net.regularization.rate},
        "layers": {
            str(l): {"w": net.w[l].tolist(), "b": net.b[l][:, 0].tolist()}
            for l in range(2, net.L + 1)
        },
    }
    if extra:
        out["extra"] = extra
    return out


def network_to_json(net: Network, *, extra: dict[str, Any] | None = None) -> str:
    return json.dumps(network_to_dict(net, extra=extra), indent=1, allow_nan=False)


def network_from_json(text: str | bytes) -> Network:
    """The network a JSON text describes; ValueError saying what is wrong otherwise."""
    return network_from_dict(load_json(text))


def load_json(text: str | bytes) -> Any:
    """A JSON document within MAX_JSON_BYTES, strictly finite; ValueError saying what is wrong."""
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise ValueError(f"the file is {len(text):,} bytes; at most {MAX_JSON_BYTES:,} allowed")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("the file is not UTF-8 text (is it really a .json file?)") from None
    if len(text) > MAX_JSON_BYTES:
        raise ValueError(f"the text is {len(text):,} characters; at most {MAX_JSON_BYTES:,}")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:  # 200,000 nested brackets: Python's parser gives up, not the app
        raise ValueError("the file nests brackets far deeper than a network file does") from None


def network_from_dict(data: Any) -> Network:
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object for a network, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise ValueError(f"'format' must be {FORMAT!r}, got {data.get('format')!r:.60}")
    if data.get("version") != VERSION:
        raise ValueError(f"'version' must be {VERSION}, got {data.get('version')!r:.60}")
    for key in ("sizes", "activations", "layers"):
        if key not in data:
            raise ValueError(f"the network is missing {key!r}")
    _expect(data["sizes"], list, "'sizes' must be a list of whole numbers")
    if not isinstance(data["activations"], str):
        _expect(data["activations"], list, "'activations' must be a name or a list of names")
    for key in ("cost", "init"):
        if key in data:
            _expect(data[key], str, f"'{key}' must be a name")
    seed = data.get("seed", 0)
    reg = data.get("regularization", {"name": "none", "rate": 0.0})
    if not isinstance(reg, dict) or set(reg) != {"name", "rate"}:
        raise ValueError(
            f"'regularization' must be an object with a 'name' and a 'rate', got {reg!r:.60}"
        )
    net = Network(
        data["sizes"],
        data["activations"],
        init=data.get("init", "small"),
        seed=seed if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else 0,
        cost=data.get("cost", "quadratic"),
        regularization=reg["name"],
        regularization_rate=reg["rate"],
    )
    layers = data["layers"]
    if not isinstance(layers, dict):
        raise ValueError(f"'layers' must be an object keyed by layer number, got {layers!r:.60}")
    w, b = {}, {}
    for l in range(2, net.L + 1):
        layer = layers.get(str(l))
        if not isinstance(layer, dict) or "w" not in layer or "b" not in layer:
            raise ValueError(f"layer {l} needs 'w' and 'b' (layers 2..{net.L} for {net.sizes})")
        w[l] = _numbers(layer["w"], f"w^{l}")
        b[l] = _numbers(layer["b"], f"b^{l}").reshape(-1, 1)
    net.set_params(w, b)
    return net


def _expect(value: Any, kind: type, message: str) -> None:
    if not isinstance(value, kind):
        raise ValueError(f"{message}, got {value!r:.60}")


def _numbers(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must contain numbers only, got {value!r:.80}") from None
    if arr.dtype == object:
        raise ValueError(f"{name} has rows of different lengths")
    return arr


def _reject_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} in the file; weights must be finite")
