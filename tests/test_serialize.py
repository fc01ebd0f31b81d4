import json

import numpy as np
import pytest

from playground import Network, network_from_json, network_to_json
from playground.serialize import MAX_JSON_BYTES, network_from_dict, network_to_dict


def test_round_trip_is_exact():
    net = Network(
        [2, 5, 3, 1],
        activations=["relu", "tanh", "sigmoid"],
        init="normal",
        seed=9,
        cost="cross_entropy",
    )
    net.w[2][0, 0] = 0.1 + 0.2  # a float with a long repr
    back = network_from_json(network_to_json(net, extra={"dataset": "circle"}))
    assert back.sizes == net.sizes and back.activations == net.activations
    assert back.cost.name == "cross_entropy" and back.seed == 9 and back.init == "normal"
    for l in (2, 3, 4):
        np.testing.assert_array_equal(back.w[l], net.w[l])
        np.testing.assert_array_equal(back.b[l], net.b[l])


def test_bytes_with_bom_are_accepted():
    net = Network([2, 1], seed=0)
    back = network_from_json(b"\xef\xbb\xbf" + network_to_json(net).encode())
    np.testing.assert_array_equal(back.w[2], net.w[2])


def _doc(**changes):
    d = network_to_dict(Network([2, 2, 1], seed=0))
    d.update(changes)
    return json.dumps(d)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"not valid JSON: Expecting value at line 1, column 1"),
        ("[1, 2]", r"expected a JSON object for a network, got list"),
        ('{"format": "keras"}', r"'format' must be 'nn-playground/network', got 'keras'"),
        (_doc(version=7), r"'version' must be 1, got 7"),
        (_doc(sizes=[2, 0, 1]), r"K_2 \(neurons in layer 2\)"),
        (_doc(activations=["tanh", "gelu"]), r"unknown activation 'gelu'"),
        (_doc(layers={"2": {"w": [[1, 2], [3, 4]], "b": [0, 0]}}), r"layer 3 needs 'w' and 'b'"),
        (
            _doc(layers={"2": {"w": [[1, 2]], "b": [0, 0]}, "3": {"w": [[1, 1]], "b": [0]}}),
            r"w\^2 must have shape \(2, 2\), got \(1, 2\)",
        ),
        (
            _doc(
                layers={"2": {"w": [[1, "x"], [3, 4]], "b": [0, 0]}, "3": {"w": [[1, 1]], "b": [0]}}
            ),
            r"w\^2 must contain numbers only",
        ),
        (
            _doc(layers={"2": {"w": [[1], [3, 4]], "b": [0, 0]}, "3": {"w": [[1, 1]], "b": [0]}}),
            r"w\^2 must contain numbers only",
        ),
        (_doc().replace('"seed": 0', '"seed": NaN'), r"non-finite number NaN"),
    ],
)
def test_bad_files_are_clear_errors(text, message):
    with pytest.raises(ValueError, match=message):
        network_from_json(text)


def test_oversized_and_binary_files_are_refused():
    with pytest.raises(ValueError, match=r"at most 2,000,000 allowed"):
        network_from_json(b" " * (MAX_JSON_BYTES + 1))
    with pytest.raises(ValueError, match=r"not UTF-8 text"):
        network_from_json(b"\xff\xfe\x00garbage")


def test_deep_nesting_is_a_clear_error():
    """Issue 10: 200,000 nested brackets raised RecursionError."""
    with pytest.raises(ValueError, match="nests brackets far deeper"):
        network_from_json(b"[" * 200_000 + b"]" * 200_000)


def test_a_non_finite_weight_of_a_big_layer_is_named_in_a_short_message():
    """Issue 10: a 256 × 256 layer with one inf made a 0.5 MB message listing the array."""
    doc = json.loads(network_to_json(Network([2, 256, 256, 1], activations="tanh")))
    doc["layers"]["3"]["w"][5][7] = 1e400
    text = json.dumps(doc).replace("Infinity", "1e999")
    with pytest.raises(ValueError, match=r"w\^3 must be finite; 1 of its 65536 entries") as e:
        network_from_json(text)
    assert "(j, k) = (6, 8)" in str(e.value) and len(str(e.value)) < 200


@pytest.mark.parametrize("field", ["activations", "cost", "init", "format"])
def test_a_huge_name_is_echoed_short(field):
    doc = json.loads(network_to_json(Network([2, 3, 1], activations="tanh")))
    doc[field] = "A" * 5_000_000 if field != "activations" else ["A" * 5_000_000, "tanh"]
    with pytest.raises(ValueError) as e:
        network_from_dict(doc)
    assert len(str(e.value)) < 300
