import numpy as np
import pytest

from playground.activations import ACTIVATIONS, LECTURE_ACTIVATIONS, get_activation

Z = np.linspace(-4, 4, 81) + 0.0123  # kept off ReLU's and sign's kink at 0


def test_the_lecture_activations_are_all_registered():
    assert set(LECTURE_ACTIVATIONS) <= set(ACTIVATIONS)
    assert LECTURE_ACTIVATIONS == ("sigmoid", "sign", "tanh", "relu")


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_sigma_prime_matches_finite_differences(name):
    act = get_activation(name)
    assert np.min(np.abs(Z)) > 1e-3, "test points must stay away from the kink at 0"
    eps = 1e-6
    numeric = (act.sigma(Z + eps) - act.sigma(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.sigma_prime(Z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_prime_from_a_equals_sigma_prime_of_z(name):
    act = get_activation(name)
    np.testing.assert_allclose(act.prime_from(Z, act.sigma(Z)), act.sigma_prime(Z), atol=1e-15)


def test_values_by_hand():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].sigma(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_array_equal(ACTIVATIONS["relu"].sigma(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(ACTIVATIONS["sign"].sigma(z), [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(ACTIVATIONS["tanh"].sigma(z), np.tanh(z))
    np.testing.assert_array_equal(ACTIVATIONS["linear"].sigma(z), z)


def test_sigmoid_does_not_overflow_for_huge_inputs():
    z = np.array([-1e308, -1000.0, -745.0, 0.0, 745.0, 1000.0, 1e308])
    with np.errstate(all="raise"):
        s = ACTIVATIONS["sigmoid"].sigma(z)
        ds = ACTIVATIONS["sigmoid"].sigma_prime(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    np.testing.assert_array_equal(s[[0, 1, -2, -1]], [0.0, 0.0, 1.0, 1.0])
    assert s[3] == 0.5 and ds[3] == 0.25


def test_sign_has_zero_derivative_everywhere():
    # The property the app teaches: no gradient flows through a sign neuron.
    z = np.array([-5.0, -1e-9, 0.0, 1e-9, 5.0])
    act = ACTIVATIONS["sign"]
    np.testing.assert_array_equal(act.sigma_prime(z), np.zeros(5))
    assert not act.differentiable


def test_relu_derivative_at_zero_is_zero_by_convention():
    d = ACTIVATIONS["relu"].sigma_prime(np.array([-1.0, 0.0, 1.0]))
    np.testing.assert_array_equal(d, [0.0, 0.0, 1.0])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_work_elementwise_on_matrices(name):
    act = get_activation(name)
    m = np.arange(-6.0, 6.0).reshape(3, 4) + 0.5
    assert act.sigma(m).shape == (3, 4)
    np.testing.assert_allclose(act.sigma(m)[1], act.sigma(m[1]))


def test_targets_follow_the_range_of_the_activation():
    assert ACTIVATIONS["sigmoid"].targets == (0.0, 1.0)
    assert ACTIVATIONS["relu"].targets == (0.0, 1.0)
    assert ACTIVATIONS["tanh"].targets == (-1.0, 1.0)
    assert ACTIVATIONS["sign"].targets == (-1.0, 1.0)


@pytest.mark.parametrize("bad", ["softmax", "", None, 3])
def test_unknown_activation_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"unknown activation .*; expected one of \['linear'"):
        get_activation(bad)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_out_variants_write_the_same_values_into_the_given_array(name):
    # The network evaluates σ and σ' into preallocated buffers: same numbers, bit for bit.
    act = get_activation(name)
    m = np.arange(-6.0, 6.0).reshape(3, 4) + 0.5
    a = act.sigma(m)
    out = np.full_like(m, np.nan)
    assert act.sigma(m, out=out) is out
    np.testing.assert_array_equal(out, a)
    out = np.full_like(m, np.nan)
    assert act.prime_from(m, a, out=out) is out
    np.testing.assert_array_equal(out, act.prime_from(m, a))
