"""Tests for playground.checks (the engine's boundary checks; more through test_network)."""

import numpy as np
import pytest

from playground.checks import MAX_EDIT, check_index, check_value, param_name


def test_parameter_names_are_the_lectures_1_based():
    assert param_name("w", 3, 0, 1) == "w^3_12"
    assert param_name("b", 2, 0) == "b^2_1"
    assert param_name("w", 2, 9, 0) == "w^2_10,1"  # two digits: a comma keeps it readable


def test_index_and_value_accept_what_they_should():
    assert check_index("j", np.int32(2), 3, 4) == 2 and check_index("k", 0, 1, 1) == 0
    assert check_value(np.float32(1.5), "w") == 1.5 and check_value(-MAX_EDIT, "w") == -MAX_EDIT
    assert isinstance(check_value(3, "b"), float)


@pytest.mark.parametrize("i", [3, -1, 1.0, True, None, "0"])
def test_bad_indices_are_clear_errors(i):
    with pytest.raises(
        ValueError, match=r"^j must be a neuron of layer 4: an integer from 0 to 2 "
    ):
        check_index("j", i, 3, 4)
