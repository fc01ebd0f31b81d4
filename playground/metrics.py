"""What a classifier got right, and the gradients summarised for drawing them.

Classes are the integers 0 … K−1. How an output a^L (or a target y) names a class:

- one output (K_L = 1, two classes): class 1 where a^L > threshold, the middle of the output
  activation's two targets (0.5 for sigmoid, 0 for tanh), else class 0;
- K_L ≥ 2 outputs, one per class: the class of the largest, argmax_j a^L_j (a tie goes to the
  lowest j). Read on one-hot targets the same rule gives the true class.

So the true and the predicted classes come from one function, ``classes_of``; the accuracy is
the share of examples where they agree, and the confusion matrix counts every pair: entry
(i, j) is the number of examples of true class i predicted as class j (rows true, columns
predicted), so its diagonal holds the correct ones and its total is N.

``winning_class`` gives, for a picture of the plane, the class each point is given and how
sure the network is, on one scale for every output activation: the winner's output mapped
from the targets' range [lo, hi] onto [0, 1] (for softmax that is its probability a^L_j).
With one output the confidence of class 1 is that mapped value p and of class 0 it is 1 − p,
so it runs from 0.5 on the boundary to 1 at a target.

``gradient_summary`` copies what the gradient view of the network needs from one backprop:
each neuron's δ^l_j averaged over the batch (which is ∂C/∂b^l_j, (19)), each weight's
∂C/∂w^l_jk ((18)), and their largest magnitudes per layer and overall, for a colour scale
shared by every layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.network import Gradients

Array = np.ndarray


def classes_of(values: Array, threshold: float) -> Array:
    """(N,) class of each column of a^L or y, shape (K_L, N): see the module docstring."""
    values = np.asarray(values)
    if values.shape[0] == 1:
        return (values[0] > threshold).astype(np.intp)
    return np.argmax(values, axis=0)


def accuracy(true: Array, predicted: Array) -> float:
    """The share of examples whose predicted class is their true class (nan for none)."""
    # count_nonzero / N: the same number as np.mean of the booleans, in a third of the time
    return np.count_nonzero(true == predicted) / len(true) if len(true) else float("nan")


def confusion_matrix(true: Array, predicted: Array, k: int) -> Array:
    """(k, k) counts: entry (i, j) is how many examples of true class i were predicted as j."""
    true, predicted = np.asarray(true, dtype=np.intp), np.asarray(predicted, dtype=np.intp)
    if true.shape != predicted.shape:
        raise ValueError(
            f"true and predicted must have one shape, got {true.shape}, {predicted.shape}"
        )
    for name, c in (("true", true), ("predicted", predicted)):
        if c.size and (c.min() < 0 or c.max() >= k):
            raise ValueError(f"{name} classes must be 0 to {k - 1}, got {c.min()} to {c.max()}")
    return np.bincount(true * k + predicted, minlength=k * k).reshape(k, k)


def winning_class(output: Array, value_range: tuple[float, float]) -> tuple[Array, Array]:
    """(N,) winning class of each column of a^L and (N,) its confidence in [0, 1]."""
    lo, hi = value_range
    with np.errstate(invalid="ignore"):
        if output.shape[0] == 1:
            p = np.clip((output[0] - lo) / (hi - lo), 0.0, 1.0)
            cls = (p > 0.5).astype(np.intp)
            return cls, np.where(cls == 1, p, 1.0 - p)
        cls = np.argmax(output, axis=0)
        top = np.take_along_axis(output, cls[np.newaxis, :], axis=0)[0]
        return cls, np.clip((top - lo) / (hi - lo), 0.0, 1.0)


@dataclass(eq=False)
class GradientSummary:
    """The gradients of one backprop as the network diagram draws them (copies, safe to keep).

    delta[l]: (K_l,) δ^l_j averaged over the batch, signed; by (19) this is ∂C/∂b^l_j.
    w[l]: (K_l, K_{l−1}) ∂C/∂w^l_jk, signed: (18) averaged, plus the regularisation term.
    delta_max[l], w_max[l]: the largest |δ^l_j|, |∂C/∂w^l_jk| of layer l;
    delta_scale, w_scale: the largest over every layer (0.0 when all are 0).
    """

    delta: dict[int, Array]
    w: dict[int, Array]
    delta_max: dict[int, float]
    w_max: dict[int, float]
    delta_scale: float
    w_scale: float


def gradient_summary(g: Gradients) -> GradientSummary:
    """δ^l_j (batch mean) and ∂C/∂w^l_jk of every layer, with their largest sizes."""
    delta = {l: b[:, 0].copy() for l, b in g.b.items()}
    w = {l: gw.copy() for l, gw in g.w.items()}
    delta_max = {l: float(np.max(np.abs(d))) for l, d in delta.items()}
    w_max = {l: float(np.max(np.abs(gw))) for l, gw in w.items()}
    return GradientSummary(delta, w, delta_max, w_max, max(delta_max.values()), max(w_max.values()))
