"""Activation functions σ and their derivatives σ' (lecture §I.A, Fig. 2).

Every activation gives σ(z) and σ'(z) as functions of z, as the lecture writes σ'(z^l).
Each also gives ``prime_from(z, a)``: the same derivative σ'(z), computed with a = σ(z) already
at hand from the forward pass. Backpropagation uses it because σ'(z) = σ(z)(1 − σ(z)) and
tanh'(z) = 1 − tanh(z)² then cost one multiplication instead of a second exponential; the
gradient-check tests hold both forms equal.

``sigma(z, out=...)`` and ``prime_from(z, a, out=...)`` write into an array the caller already
has (the network's preallocated buffers) instead of a new one, with the same values bit for bit;
without ``out`` they return a new array, as always.

Conventions worth saying once:
- sign(0) = 0 and sign'(z) = 0 for every z ≠ 0 (undefined at 0, taken as 0). This is a property
  of the function, not a bug: every δ^l that passes through a sign layer is 0, so gradient descent
  cannot change any weight before it. The app uses this to teach why smooth activations exist.
- ReLU'(0) = 0 (the subgradient most libraries pick). ReLU'(z) = 1 for z > 0.
- sigmoid is evaluated in a numerically stable form: it never overflows, whatever |z|.
- ``targets`` are the two class values a network with this output activation is trained to
  produce: (0, 1) when the activation's range is [0, ∞) or (0, 1), (−1, +1) when it is symmetric.
  With K_L ≥ 2 outputs, one per class, the target of example x is one-hot in these values: the
  high one at its class's output, the low one at every other (``training.encode_targets``).

Softmax (not in the lecture; Nielsen ch. 3) is an output layer for K_L ≥ 2 classes,
a^L_j = e^{z^L_j} / Σ_k e^{z^L_k}: every a^L_j depends on every z^L_k, so it is not an element-wise
σ and has no σ'(z) to multiply by in (10). Its derivative is a matrix per example,
∂a_k/∂z_j = a_k (1[k = j] − a_j), and δ^L comes from (7) with the whole sum over k, which the
lecture's step from (7) to (8) drops because an element-wise σ makes every term k ≠ j zero:

    δ^L_j = Σ_k ∂C/∂a_k · a_k (1[k = j] − a_j) = a_j (∂C/∂a_j − Σ_k a_k ∂C/∂a_k)

That is ``delta_from(a, ∇_a C)``; with the cross-entropy it simplifies to a^L − y (``costs.py``).
Softmax lives in ``OUTPUT_ACTIVATIONS`` (every name the output layer may have, looked up by
``get_output_activation``), not in ``ACTIVATIONS`` (the element-wise σ any layer may have, looked
up by ``get_activation``); its ``sigma_prime`` raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """σ, its derivative σ', and what the app needs to know to explain it."""

    name: str
    label: str
    sigma: Callable[..., Array]  # σ(z, out=None)
    sigma_prime: Callable[[Array], Array]  # σ'(z)
    prime_from: Callable[..., Array]  # σ'(z) from a = σ(z): prime_from(z, a, out=None)
    targets: tuple[float, float]
    differentiable: bool = True
    elementwise: bool = True  # False: softmax, where (10) and (17) do not apply as written
    # (7) for a σ that is not element-wise: δ = (∂a/∂z)^T ∇_a C from a = σ(z) and ∇_a C
    delta_from: Callable[..., Array] | None = None


def _sigmoid(z: Array, out: Array | None = None) -> Array:
    # 1/(1+e^{-z}) overflows e^{-z} for z << 0; 0.5(1 + tanh(z/2)) is the same function
    # and stays finite for every z.
    if out is None:
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    # The same operations in the same order, in place: the same values bit for bit.
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def _sigmoid_prime(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _sigmoid_prime_from(z: Array, a: Array, out: Array | None = None) -> Array:
    # σ'(z) = σ(z)(1 − σ(z)) = a(1 − a)
    if out is None:
        return a * (1.0 - a)
    np.subtract(1.0, a, out=out)
    out *= a
    return out


def _tanh_prime(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_prime_from(z: Array, a: Array, out: Array | None = None) -> Array:
    # tanh'(z) = 1 − tanh(z)² = 1 − a²
    if out is None:
        return 1.0 - a * a
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def _relu(z: Array, out: Array | None = None) -> Array:
    return np.maximum(z, 0.0, out=out)


def _step_prime(z: Array, out: Array | None = None) -> Array:
    # ReLU'(z) = 1 for z > 0 and 0 otherwise (ReLU'(0) = 0 by convention).
    if out is None:
        return (z > 0).astype(z.dtype)
    return np.greater(z, 0.0, out=out)


def _step_prime_from(z: Array, a: Array, out: Array | None = None) -> Array:
    return _step_prime(z, out=out)


def _identity(z: Array, out: Array | None = None) -> Array:
    if out is None:
        return z
    np.copyto(out, z)
    return out


def _zeros_like(z: Array, *_: Array, out: Array | None = None) -> Array:
    if out is None:
        return np.zeros_like(z)
    out.fill(0.0)
    return out


def _ones_like(z: Array, *_: Array, out: Array | None = None) -> Array:
    if out is None:
        return np.ones_like(z)
    out.fill(1.0)
    return out


def _softmax(z: Array, out: Array | None = None) -> Array:
    # a_j = e^{z_j} / Σ_k e^{z_k} for each column (example). Subtracting the column's largest z
    # first changes no a_j and keeps every e^{z − max} in (0, 1]: no overflow, whatever z.
    out = np.subtract(z, z.max(axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)
    return out


def _softmax_delta_from(a: Array, grad_a: Array, out: Array | None = None) -> Array:
    # (7) δ_j = Σ_k g_k ∂a_k/∂z_j = Σ_k g_k a_k (1[k = j] − a_j) = a_j (g_j − Σ_k a_k g_k)
    weighted = np.einsum("k...,k...->...", a, grad_a)  # Σ_k a_k g_k, one number per example
    out = np.subtract(grad_a, weighted, out=out)
    out *= a
    return out


def _not_elementwise(*_: Array, **__: Array) -> Array:
    raise ValueError(
        "softmax is not element-wise: ∂a_k/∂z_j = a_k(1[k = j] − a_j) is a matrix per example, "
        "so there is no σ'(z) for (10) or (17); δ^L comes from (7), see Activation.delta_from"
    )


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        name="sigmoid",
        label="sigmoid  σ(z) = 1/(1+e⁻ᶻ)",
        sigma=_sigmoid,
        sigma_prime=_sigmoid_prime,
        prime_from=_sigmoid_prime_from,
        targets=(0.0, 1.0),
    ),
    "sign": Activation(
        name="sign",
        label="sign  σ(z) = sign(z)",
        sigma=np.sign,
        sigma_prime=_zeros_like,
        prime_from=_zeros_like,
        targets=(-1.0, 1.0),
        differentiable=False,
    ),
    "tanh": Activation(
        name="tanh",
        label="tanh  σ(z) = tanh(z)",
        sigma=np.tanh,
        sigma_prime=_tanh_prime,
        prime_from=_tanh_prime_from,
        targets=(-1.0, 1.0),
    ),
    "relu": Activation(
        name="relu",
        label="ReLU  σ(z) = max(0, z)",
        sigma=_relu,
        sigma_prime=_step_prime,
        prime_from=_step_prime_from,
        targets=(0.0, 1.0),
    ),
    "linear": Activation(
        name="linear",
        label="linear  σ(z) = z",
        sigma=_identity,
        sigma_prime=_ones_like,
        prime_from=_ones_like,
        targets=(-1.0, 1.0),
    ),
}

#: The lecture's four activations, in its order (linear is added for regression outputs).
LECTURE_ACTIVATIONS = ("sigmoid", "sign", "tanh", "relu")

SOFTMAX = Activation(
    name="softmax",
    label="softmax  aⱼ = eᶻʲ / Σₖ eᶻᵏ (output only, not in the lecture)",
    sigma=_softmax,
    sigma_prime=_not_elementwise,
    prime_from=_not_elementwise,
    targets=(0.0, 1.0),
    elementwise=False,
    delta_from=_softmax_delta_from,
)

#: Every activation the output layer l = L may have: the element-wise ones, and softmax.
OUTPUT_ACTIVATIONS: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_activation(name: str) -> Activation:
    """The element-wise activation registered under ``name``; a clear ValueError otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r:.60}; expected one of {sorted(ACTIVATIONS)}"
        ) from None


def get_output_activation(name: str) -> Activation:
    """An activation the output layer may have (softmax included); a clear ValueError otherwise."""
    try:
        return OUTPUT_ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r:.60}; expected one of {sorted(OUTPUT_ACTIVATIONS)}"
        ) from None
