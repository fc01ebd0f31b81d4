import numpy as np
import pytest

from playground.activations import ACTIVATIONS
from playground.costs import COSTS, get_cost


def test_quadratic_cost_by_hand():
    # two examples, two outputs: ||(0.5, -1)||² = 1.25 and ||(0, 2)||² = 4
    # (2) C = (1/(2·2)) (1.25 + 4) = 1.3125
    a = np.array([[1.5, 1.0], [0.0, 3.0]])
    y = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert get_cost("quadratic").value(a, y) == pytest.approx(1.3125, abs=1e-15)
    np.testing.assert_array_equal(get_cost("quadratic").grad_a(a, y), a - y)


@pytest.mark.parametrize("name", sorted(COSTS))
def test_grad_a_matches_finite_differences(name):
    cost = get_cost(name)
    a = np.array([[0.2, 0.7, 0.9]])
    y = np.array([[0.0, 1.0, 1.0]])
    eps, n = 1e-7, a.shape[1]
    for i in range(n):
        up, dn = a.copy(), a.copy()
        up[0, i] += eps
        dn[0, i] -= eps
        # C averages C_x over N, so N ∂C/∂a_x = ∂C_x/∂a_x
        numeric = n * (cost.value(up, y) - cost.value(dn, y)) / (2 * eps)
        assert cost.grad_a(a, y)[0, i] == pytest.approx(numeric, rel=1e-6)


def test_cross_entropy_delta_is_a_minus_y_for_a_sigmoid_output():
    sig = ACTIVATIONS["sigmoid"]
    z = np.array([[-3.0, 0.5, 2.0]])
    a, y = sig.sigma(z), np.array([[0.0, 1.0, 1.0]])
    ce = get_cost("cross_entropy")
    general = ce.grad_a(a, y) * sig.sigma_prime(z)
    np.testing.assert_allclose(ce.delta_L(a, z, y, sig), general, rtol=1e-12)
    np.testing.assert_allclose(ce.delta_L(a, z, y, sig), a - y)


def test_cross_entropy_stays_finite_when_the_sigmoid_saturates():
    a, y = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    assert np.isfinite(get_cost("cross_entropy").value(a, y))


def test_unknown_cost_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown cost 'mse'; expected one of"):
        get_cost("mse")


@pytest.mark.parametrize("name", sorted(COSTS))
def test_delta_L_into_given_arrays_is_the_same(name):
    sig = ACTIVATIONS["sigmoid"]
    z = np.array([[-3.0, 0.5, 2.0], [1.0, -0.2, 0.0]])
    a, y = sig.sigma(z), np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    cost = get_cost(name)
    out, tmp = np.empty_like(a), np.empty_like(a)
    assert cost.delta_L(a, z, y, sig, out=out, tmp=tmp) is out
    np.testing.assert_array_equal(out, cost.delta_L(a, z, y, sig))
