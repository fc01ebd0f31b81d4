"""Tests for playground.metrics: classes from outputs, accuracy, the confusion matrix, the
winning class and its confidence, and the gradient summary the diagram draws."""

import numpy as np
import pytest

from playground import Network
from playground.metrics import (
    accuracy,
    classes_of,
    confusion_matrix,
    gradient_summary,
    winning_class,
)
from tests.conftest import batch


def test_one_output_splits_at_the_threshold_and_k_outputs_take_the_largest():
    np.testing.assert_array_equal(classes_of(np.array([[-0.5, 0.0, 0.2]]), 0.0), [0, 0, 1])
    np.testing.assert_array_equal(classes_of(np.array([[0.2, 0.7, 0.5]]), 0.5), [0, 1, 0])
    a = np.array([[0.1, 0.5, 0.3], [0.7, 0.2, 0.3], [0.2, 0.3, 0.4]])
    np.testing.assert_array_equal(classes_of(a, 0.5), [1, 0, 2])
    np.testing.assert_array_equal(classes_of(np.array([[0.4], [0.4]]), 0.5), [0])  # tie: lowest
    y = np.array([[-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])  # one-hot in tanh's targets
    np.testing.assert_array_equal(classes_of(y, 0.0), [1, 0])


def test_accuracy_is_the_share_of_agreements():
    assert accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2])) == 0.75
    assert np.isnan(accuracy(np.array([], int), np.array([], int)))


def test_confusion_matrix_by_hand():
    # true 0 0 1 1 1 2, predicted 0 1 1 1 2 0:
    # row 0 (true 0): one as 0, one as 1; row 1: two as 1, one as 2; row 2: one as 0
    m = confusion_matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 0], 3)
    np.testing.assert_array_equal(m, [[1, 1, 0], [0, 2, 1], [1, 0, 0]])
    assert m.dtype.kind == "i" and m.sum() == 6 and np.trace(m) == 3
    np.testing.assert_array_equal(confusion_matrix([], [], 2), np.zeros((2, 2)))


def test_confusion_matrix_refuses_classes_out_of_range():
    with pytest.raises(ValueError, match=r"predicted classes must be 0 to 2, got 0 to 3"):
        confusion_matrix([0, 1], [0, 3], 3)
    with pytest.raises(ValueError, match=r"true classes must be 0 to 1, got -1 to 1"):
        confusion_matrix([-1, 1], [0, 1], 2)
    with pytest.raises(ValueError, match=r"true and predicted must have one shape"):
        confusion_matrix([0, 1], [0], 2)


def test_winning_class_and_confidence_for_softmax_is_its_probability():
    a = np.array([[0.2, 0.6], [0.7, 0.3], [0.1, 0.1]])
    cls, conf = winning_class(a, (0.0, 1.0))
    np.testing.assert_array_equal(cls, [1, 0])
    np.testing.assert_allclose(conf, [0.7, 0.6])


def test_winning_class_maps_tanh_outputs_onto_0_to_1():
    a = np.array([[-0.8, 0.5], [0.6, -1.0]])  # two tanh outputs, targets −1 … +1
    cls, conf = winning_class(a, (-1.0, 1.0))
    np.testing.assert_array_equal(cls, [1, 0])
    np.testing.assert_allclose(conf, [0.8, 0.75])


def test_one_output_confidence_runs_from_a_half_on_the_boundary_to_one_at_a_target():
    a = np.array([[-1.0, -0.5, 0.0, 0.5, 1.0, 3.0]], dtype=np.float32)
    cls, conf = winning_class(a, (-1.0, 1.0))
    np.testing.assert_array_equal(cls, [0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(conf, [1.0, 0.75, 0.5, 0.75, 1.0, 1.0])
    assert conf.dtype == np.float32  # the picture's precision is kept


def test_gradient_summary_is_19_and_18_with_shared_scales_and_safe_copies():
    net = Network([2, 3, 3], activations=["tanh", "softmax"], cost="cross_entropy", seed=1)
    g = net.backprop(batch(2, 9), np.eye(3)[:, [0, 1, 2] * 3])
    s = gradient_summary(g)
    for l in (2, 3):
        # (19) ∂C/∂b^l_j is the batch mean of δ^l_j
        np.testing.assert_allclose(s.delta[l], g.delta[l].mean(axis=1), rtol=1e-13)
        np.testing.assert_array_equal(s.w[l], g.w[l])
        assert s.delta_max[l] == np.abs(g.b[l]).max() and s.w_max[l] == np.abs(g.w[l]).max()
        assert not np.shares_memory(s.w[l], g.flat) and not np.shares_memory(s.delta[l], g.flat)
    assert s.delta_scale == max(s.delta_max.values()) > 0
    assert s.w_scale == max(s.w_max.values()) > 0
