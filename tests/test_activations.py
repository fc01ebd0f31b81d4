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


# --- softmax: an output layer, not an element-wise σ (issue 14) -----------------------------


def test_softmax_is_an_output_activation_only():
    from playground.activations import OUTPUT_ACTIVATIONS, SOFTMAX, get_output_activation

    assert "softmax" not in ACTIVATIONS and OUTPUT_ACTIVATIONS["softmax"] is SOFTMAX
    assert set(ACTIVATIONS) < set(OUTPUT_ACTIVATIONS)
    assert get_output_activation("tanh") is ACTIVATIONS["tanh"]
    assert SOFTMAX.targets == (0.0, 1.0) and not SOFTMAX.elementwise
    assert "not in the lecture" in SOFTMAX.label
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'; expected one of .*'softmax'"):
        get_output_activation("gelu")


def test_softmax_has_no_elementwise_derivative():
    from playground.activations import SOFTMAX

    z = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"softmax is not element-wise: .* δ\^L comes from \(7\)"):
        SOFTMAX.sigma_prime(z)
    with pytest.raises(ValueError, match=r"softmax is not element-wise"):
        SOFTMAX.prime_from(z, z)


def test_softmax_by_hand_and_columns_are_distributions():
    from playground.activations import SOFTMAX

    # z = (0.5, 1, 0): e^z = (1.648721, 2.718282, 1), Σ = 5.367003
    # a = (0.307196, 0.506480, 0.186324)
    z = np.array([[0.5, 3.0], [1.0, 3.0], [0.0, 3.0]])
    a = SOFTMAX.sigma(z)
    np.testing.assert_allclose(a[:, 0], [0.307196, 0.506480, 0.186324], atol=1e-6)
    np.testing.assert_allclose(a[:, 1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(a.sum(axis=0), 1.0, rtol=1e-15)


def test_softmax_never_overflows():
    from playground.activations import SOFTMAX

    z = np.array([[1000.0, -1000.0], [999.0, -1001.0], [-1000.0, 5000.0]])
    a = SOFTMAX.sigma(z)
    assert np.isfinite(a).all()
    np.testing.assert_allclose(a[:, 0], [1 / (1 + np.exp(-1)), 1 / (1 + np.e), 0.0], atol=1e-15)
    np.testing.assert_array_equal(a[:, 1], [0.0, 0.0, 1.0])
    out = np.full_like(z, np.nan, dtype=np.float32)
    assert SOFTMAX.sigma(z.astype(np.float32), out=out) is out
    np.testing.assert_allclose(out, a, atol=1e-7)


def test_softmax_delta_from_is_the_transposed_jacobian_times_the_gradient():
    from playground.activations import SOFTMAX

    rng = np.random.default_rng(4)
    z, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    a = SOFTMAX.sigma(z)
    eps = 1e-6
    for n in range(3):
        # (7) δ_j = Σ_k g_k ∂a_k/∂z_j, the Jacobian column j by central differences
        numeric = np.empty(4)
        for j in range(4):
            up, dn = z[:, n].copy(), z[:, n].copy()
            up[j] += eps
            dn[j] -= eps
            numeric[j] = g[:, n] @ (SOFTMAX.sigma(up) - SOFTMAX.sigma(dn)) / (2 * eps)
        np.testing.assert_allclose(SOFTMAX.delta_from(a, g)[:, n], numeric, rtol=1e-7, atol=1e-10)
    out = np.empty_like(g)
    assert SOFTMAX.delta_from(a, g, out=out) is out
    np.testing.assert_array_equal(out, SOFTMAX.delta_from(a, g))
