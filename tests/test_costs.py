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


# --- cross-entropy with a softmax output, and costs bound to an output layer (issue 14) -------


def test_costs_bind_to_their_output_layer():
    from playground.activations import OUTPUT_ACTIVATIONS

    ce, quad = get_cost("cross_entropy"), get_cost("quadratic")
    assert ce.for_output(ACTIVATIONS["sigmoid"]) is ce
    soft = ce.for_output(OUTPUT_ACTIVATIONS["softmax"])
    assert soft.softmax and soft.name == "cross_entropy" and "not in the lecture" in soft.label
    assert r"\sum_{k=1}^{K_L}" in soft.equation
    assert soft.for_output(ACTIVATIONS["sigmoid"]) is ce  # and back
    assert quad.for_output(ACTIVATIONS["tanh"]) is quad
    assert quad.for_output(OUTPUT_ACTIVATIONS["softmax"]).softmax
    for name in ("tanh", "relu", "linear", "sign"):
        with pytest.raises(
            ValueError, match=rf"needs a sigmoid output layer \(or softmax\); .*'{name}'"
        ):
            ce.for_output(ACTIVATIONS[name])


def test_softmax_cross_entropy_by_hand():
    # one example, three classes, true class 1 (the first): y = (1, 0, 0)
    # a = softmax(0.5, 1, 0) = (0.307196, 0.506480, 0.186324)
    # C = −ln a_1 = −ln 0.307196 = 1.180270
    # δ^L = a Σ_k y_k − y = a − y = (−0.692804, 0.506480, 0.186324)
    from playground.activations import SOFTMAX

    z = np.array([[0.5], [1.0], [0.0]])
    a, y = SOFTMAX.sigma(z), np.array([[1.0], [0.0], [0.0]])
    cost = get_cost("cross_entropy").for_output(SOFTMAX)
    assert cost.value(a, y) == pytest.approx(1.180270, abs=1e-6)
    np.testing.assert_allclose(
        cost.delta_L(a, z, y, SOFTMAX), [[-0.692804], [0.506480], [0.186324]], atol=1e-6
    )
    np.testing.assert_array_equal(cost.delta_L(a, z, y, SOFTMAX), a - y)


@pytest.mark.parametrize("name", sorted(COSTS))
def test_softmax_delta_L_is_the_jacobian_rule_7_applied_to_grad_a(name):
    # δ^L_j = Σ_k ∂C_x/∂a_k ∂a_k/∂z_j (7), for any targets (these do not sum to 1)
    from playground.activations import SOFTMAX

    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(3, 5)), rng.uniform(0.0, 1.0, (3, 5))
    a = SOFTMAX.sigma(z)
    cost = get_cost(name).for_output(SOFTMAX)
    np.testing.assert_allclose(
        cost.delta_L(a, z, y, SOFTMAX), SOFTMAX.delta_from(a, cost.grad_a(a, y)), rtol=1e-10
    )
    # and C_x by central differences in z: N ∂C/∂z_x = ∂C_x/∂z_x
    eps, n = 1e-6, z.shape[1]
    numeric = np.empty_like(z)
    for j, i in np.ndindex(z.shape):
        up, dn = z.copy(), z.copy()
        up[j, i] += eps
        dn[j, i] -= eps
        numeric[j, i] = n * (cost.value(SOFTMAX.sigma(up), y) - cost.value(SOFTMAX.sigma(dn), y))
    np.testing.assert_allclose(
        cost.delta_L(a, z, y, SOFTMAX), numeric / (2 * eps), rtol=1e-6, atol=1e-9
    )


def test_softmax_cross_entropy_stays_finite_when_a_class_gets_probability_0():
    from playground.activations import SOFTMAX

    a, y = SOFTMAX.sigma(np.array([[-800.0], [800.0]])), np.array([[1.0], [0.0]])
    assert a[0, 0] == 0.0
    assert np.isfinite(get_cost("cross_entropy").for_output(SOFTMAX).value(a, y))
