"""Property-based tests: whatever arrives from a link or a file, no exception escapes the
validation, and every configuration it accepts builds, trains and draws."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground import Network
from playground.serialize import network_from_json, network_to_json
from ui.config import FIELDS, PlaygroundConfig, from_query, to_query, view_from_query
from ui.experiment import Experiment

KEYS = [f.key for f in FIELDS] + ["hide", "present", "lesson", "lr_hide", "x"]
ANY_TEXT = st.text(max_size=60) | st.sampled_from(
    ["nan", "inf", "-1", "1e308", "0", "3", "4,4,4", "relu", "true", "🙂", "", ",", "9" * 40]
)
QUERIES = st.dictionaries(st.sampled_from(KEYS), ANY_TEXT | st.lists(ANY_TEXT, max_size=3))

SMALL = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(QUERIES)
@SMALL
def test_any_query_gives_a_valid_configuration_and_notices(params):
    config, notices = from_query(params)
    _, more = view_from_query(params)
    assert isinstance(config, PlaygroundConfig)
    assert all(isinstance(n, str) and len(n) < 400 for n in notices + more)
    assert from_query(to_query(config))[0] == config  # what is accepted round-trips


def configs():
    """Configurations a link may produce, kept small so each example trains quickly."""
    return st.builds(
        PlaygroundConfig,
        dataset=st.sampled_from(["circle", "xor", "gauss", "spiral", "plane", "sine_1d",
                                 "xor_lecture", "gauss_bumps"]),
        n_points=st.integers(10, 120),
        noise=st.integers(0, 50),
        train_pct=st.integers(10, 90),
        data_seed=st.integers(0, 2**31 - 1),
        features=st.lists(st.sampled_from(["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1"]),
                          min_size=1, max_size=4, unique=True).map(tuple),
        hidden=st.lists(st.integers(1, 6), max_size=3).map(tuple),
        hidden_act=st.sampled_from(["sigmoid", "sign", "tanh", "relu", "linear"]).map(
            lambda a: (a,)),
        output_act=st.sampled_from(["sigmoid", "sign", "tanh", "relu", "linear"]),
        init=st.sampled_from(["small", "normal", "scaled", "uniform", "zeros"]),
        seed=st.integers(0, 1000),
        learning_rate=st.sampled_from([1e-5, 0.03, 1.0, 100.0, 1000.0]),
        batch_size=st.sampled_from([0, 1, 7, 50]),
    )  # fmt: skip


@given(configs())
@SMALL
def test_every_accepted_configuration_trains_and_draws(config):
    config, _ = from_query(to_query(config))  # through the same validation as a link
    exp = Experiment(config)
    made = exp.step(20)
    assert made == 20 or exp.trainer.divergence is not None
    frame = exp.frame()
    assert frame.output.shape in ((100, 100), (200,))
    m = exp.trainer.metrics
    assert np.isfinite(m["cost_train"])  # the last finite state is what is shown
    assert all(np.isfinite(exp.net.w[l]).all() for l in exp.net.w)
    exp.reset()
    assert exp.trainer.steps == 0 and exp.trainer.divergence is None


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=20,
)  # fmt: skip


@given(JSON_VALUES)
@SMALL
def test_random_json_never_escapes_as_anything_but_a_clear_error(value):
    try:
        network_from_json(json.dumps(value))
    except ValueError as e:
        assert str(e)


@given(st.binary(max_size=300))
@SMALL
def test_random_bytes_as_a_network_file(data):
    try:
        network_from_json(data)
    except ValueError as e:
        assert str(e)


@given(configs(), st.data())
@SMALL
def test_a_saved_network_with_one_corrupted_number_is_refused_or_loaded_exactly(config, data):
    net = Experiment(from_query(to_query(config))[0]).net
    doc = json.loads(network_to_json(net))
    layer = data.draw(st.sampled_from(sorted(doc["layers"])))
    bad = data.draw(st.sampled_from(["x", None, [1, 2], 1e400, True]))
    doc["layers"][layer]["b"][0] = bad
    text = json.dumps(doc).replace("Infinity", "1e999")
    try:
        back = network_from_json(text)
    except ValueError as e:
        assert str(e)
    else:
        assert back.sizes == net.sizes


NETWORK_FIELDS = [
    ("sizes",),
    ("activations",),
    ("activations", 0),
    ("sizes", 1),
    ("cost",),
    ("init",),
]
NETWORK_FIELDS += [
    ("seed",),
    ("layers",),
    ("layers", "2"),
    ("layers", "2", "w"),
    ("layers", "3", "b"),
]
NETWORK_FIELDS += [("extra",), ("extra", "config"), ("format",), ("version",)]


@given(st.sampled_from(NETWORK_FIELDS), JSON_VALUES)
@SMALL
def test_a_saved_network_with_any_field_replaced_is_a_short_clear_error_or_loads(path, value):
    """Issue 10: a valid file with "extra": [] raised AttributeError, "activations": null a
    TypeError, and the Playground's upload caught only ValueError."""
    from playground.serialize import load_json, network_from_dict
    from ui.config import DEFAULT
    from ui.web.files import _config_for

    doc = json.loads(network_to_json(Network([2, 3, 1], activations="tanh"), extra={"a": 1}))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    data = json.dumps(doc).encode()
    try:
        parsed = load_json(data)
        _config_for(network_from_dict(parsed), DEFAULT, parsed)
    except ValueError as e:
        assert 0 < len(str(e)) <= 400, str(e)[:500]
