import itertools
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.activations import ACTIVATIONS, LECTURE_ACTIVATIONS
from tests.decode import decode
from ui.figures.activations import activation_figure


def curves(fig, name, label):
    """(z, y) of the curve `label` ("σ(z)" or "σ'(z)") in the panel of activation `name`."""
    panel = list(LECTURE_ACTIVATIONS).index(name)
    axis = "x" if panel == 0 else f"x{panel + 1}"
    (trace,) = [t for t in fig["data"] if t["xaxis"] == axis and t["name"] == label]
    return decode(trace["x"]), decode(trace["y"])


def test_activation_figure_is_valid_with_one_panel_per_activation():
    fig = activation_figure()
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)
    layout = fig["layout"]
    domains = [layout[k]["domain"] for k in ("xaxis", "xaxis2", "xaxis3", "xaxis4")]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(domains))  # side by side
    titles = [a["text"] for a in layout["annotations"] if a["xref"] == "paper"]
    assert [t.split("</b>")[0].removeprefix("<b>") for t in titles] == [
        "sigmoid",
        "sign",
        "tanh",
        "ReLU",
    ]
    assert [t["showlegend"] for t in fig["data"][:2]] == [True, True]


@pytest.mark.parametrize("name", LECTURE_ACTIVATIONS)
def test_curves_are_the_engines_sigma_and_sigma_prime(name):
    fig = activation_figure()
    act = ACTIVATIONS[name]
    for label, fn in (("σ(z)", act.sigma), ("σ'(z)", act.sigma_prime)):
        z, y = curves(fig, name, label)
        ok = np.isfinite(z)
        np.testing.assert_allclose(y[ok], fn(z[ok].astype(np.float64)), atol=1e-6)


def test_sigma_prime_is_dashed_and_sigma_solid():
    fig = activation_figure(["tanh"])
    assert "dash" not in fig["data"][0]["line"]
    assert fig["data"][1]["line"]["dash"] == "dash"


def test_sign_derivative_is_visibly_zero_and_its_jump_is_not_drawn():
    fig = activation_figure()
    _, y = curves(fig, "sign", "σ'(z)")
    assert (y[np.isfinite(y)] == 0).all()
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert "σ'(z) = 0 for every z ≠ 0" in notes
    _, y = curves(fig, "sign", "σ(z)")
    assert np.isnan(y).sum() >= 1  # a gap at z = 0 instead of a vertical line
    assert any(t["name"] == "sign(0) = 0" for t in fig["data"])


def test_relu_derivative_breaks_at_zero():
    z, y = curves(activation_figure(), "relu", "σ'(z)")
    assert np.isnan(y).sum() == 1
    assert np.isnan(z[np.isnan(y)]).all()


def test_activation_figure_checks_its_arguments():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        activation_figure(["swish"])
    with pytest.raises(ValueError, match="z_range must be"):
        activation_figure(z_range=(1, -1))
