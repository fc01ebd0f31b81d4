import numpy as np
import pytest

from playground.init import INITIALISERS, initial_params

SIZES = (2, 50, 40, 1)


@pytest.mark.parametrize("scheme", sorted(INITIALISERS))
def test_same_seed_same_parameters(scheme):
    w1, b1 = initial_params(SIZES, scheme, 11)
    w2, b2 = initial_params(SIZES, scheme, 11)
    for l in (2, 3, 4):
        np.testing.assert_array_equal(w1[l], w2[l])
        np.testing.assert_array_equal(b1[l], b2[l])
        assert w1[l].shape == (SIZES[l - 1], SIZES[l - 2]) and b1[l].shape == (SIZES[l - 1], 1)


@pytest.mark.parametrize("scheme", ["small", "normal", "scaled", "uniform"])
def test_different_seeds_differ(scheme):
    assert not np.array_equal(
        initial_params(SIZES, scheme, 1)[0][3], initial_params(SIZES, scheme, 2)[0][3]
    )


def test_schemes_have_their_stated_spread():
    w, b = initial_params(SIZES, "normal", 0)
    assert 0.9 < w[3].std() < 1.1 and 0.7 < b[3].std() < 1.3
    w, _ = initial_params(SIZES, "scaled", 0)
    assert abs(w[3].std() * np.sqrt(50) - 1) < 0.1  # N(0, 1/K_2), K_2 = 50
    w, _ = initial_params(SIZES, "small", 0)
    assert 0.08 < w[3].std() < 0.12
    w, b = initial_params(SIZES, "uniform", 0)
    assert np.all(np.abs(w[3]) <= 0.5) and np.all(b[3] == 0.1)
    w, b = initial_params(SIZES, "equal", 3)
    assert all((w[l] == 0.5).all() and (b[l] == 0.5).all() for l in (2, 3, 4))
    w, b = initial_params(SIZES, "zeros", 0)
    assert not any(w[l].any() or b[l].any() for l in (2, 3, 4))
