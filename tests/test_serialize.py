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


# --- K_L > 1 outputs, softmax and regularisation (issue 14) -----------------------------------


def test_a_softmax_network_with_regularisation_round_trips_exactly():
    from playground.regularization import Regularization

    net = Network([2, 4, 3], activations=["relu", "softmax"], cost="cross_entropy", seed=3,
                  init="normal", regularization="l1", regularization_rate=0.003)  # fmt: skip
    back = network_from_json(network_to_json(net))
    assert back.activations == ("relu", "softmax") and back.sizes == (2, 4, 3)
    assert back.cost.softmax and back.cost.name == "cross_entropy"
    assert back.regularization == Regularization("l1", 0.003)
    np.testing.assert_array_equal(back.theta, net.theta)


def test_a_file_saved_before_issue_14_loads_without_regularisation():
    doc = json.loads(network_to_json(Network([2, 3, 1], activations="tanh", seed=1)))
    del doc["regularization"]
    back = network_from_dict(doc)
    assert back.regularization.name == "none" and not back.regularization.active


@pytest.mark.parametrize(
    ("reg", "message"),
    [
        ([], r"'regularization' must be an object with a 'name' and a 'rate', got \[\]"),
        ({"name": "l2"}, r"'regularization' must be an object with a 'name' and a 'rate'"),
        ({"name": "l2", "rate": -1}, r"regularisation rate λ must be a finite number ≥ 0, got -1"),
        ({"name": "l9", "rate": 1}, r"unknown regularisation 'l9'"),
        ({"name": "l2", "rate": "x" * 10_000}, r"rate λ must be a finite number ≥ 0, got 'xxx"),
    ],
)
def test_bad_regularisations_in_a_file_are_clear_errors(reg, message):
    doc = json.loads(network_to_json(Network([2, 3, 1], activations="tanh", seed=1)))
    doc["regularization"] = reg
    with pytest.raises(ValueError, match=message) as e:
        network_from_dict(doc)
    assert len(str(e.value)) < 200


def test_a_softmax_with_one_output_in_a_file_is_a_clear_error():
    doc = json.loads(network_to_json(Network([2, 3, 1], activations="tanh", seed=1)))
    doc["activations"] = ["tanh", "softmax"]
    with pytest.raises(ValueError, match=r"softmax output .* needs K_3 ≥ 2 output neurons"):
        network_from_dict(doc)


def _json_values():
    from hypothesis import strategies as st

    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    return st.recursive(
        leaves | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )


def test_any_json_in_the_new_fields_is_loaded_or_a_short_clear_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    paths = [("regularization",), ("regularization", "name"), ("regularization", "rate"),
             ("activations", 1)]  # fmt: skip

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from(paths), _json_values())
    def check(path, value):
        doc = json.loads(network_to_json(Network([2, 3, 2], activations=["tanh", "softmax"])))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
        try:
            network_from_dict(doc)
        except ValueError as e:
            assert 0 < len(str(e)) <= 400, str(e)[:500]

    check()
