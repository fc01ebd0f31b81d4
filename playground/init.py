"""Weight initialisation schemes: seeded, so the same seed always gives the same w^l and b^l.

Layers are drawn in order l = 2 … L, weights before biases, from one ``np.random.Generator``.
The same (scheme, sizes, seed) therefore reproduces the same start, which is what lets Reset
rewind a run exactly and a shared link give every student the same first weights.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Params = tuple[dict[int, np.ndarray], dict[int, np.ndarray]]
# draw(rng, K_l, K_{l-1}) -> (w^l of shape (K_l, K_{l-1}), b^l of shape (K_l, 1))
Draw = Callable[[np.random.Generator, int, int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Initialiser:
    name: str
    label: str
    draw: Draw


def _small(rng, k, k_prev):
    # The lecture: "a small random value near zero" for every w^l_jk and b^l_j.
    return rng.normal(0.0, 0.1, (k, k_prev)), rng.normal(0.0, 0.1, (k, 1))


def _normal(rng, k, k_prev):
    # Nielsen ch. 1: every weight and bias from N(0, 1).
    return rng.normal(0.0, 1.0, (k, k_prev)), rng.normal(0.0, 1.0, (k, 1))


def _scaled(rng, k, k_prev):
    # Nielsen ch. 3: weights from N(0, 1/K_{l-1}) keep z^l of order 1 however wide the layer;
    # biases stay N(0, 1).
    return rng.normal(0.0, 1.0 / np.sqrt(k_prev), (k, k_prev)), rng.normal(0.0, 1.0, (k, 1))


def _uniform(rng, k, k_prev):
    # TensorFlow Playground: weights uniform in (−0.5, 0.5), every bias 0.1.
    return rng.uniform(-0.5, 0.5, (k, k_prev)), np.full((k, 1), 0.1)


EQUAL_VALUE = 0.5


def _equal(rng, k, k_prev):
    # The lecture's "identical values": every parameter EQUAL_VALUE. The neurons of a hidden
    # layer start identical and, by (17)–(19), receive identical updates, so they move but stay
    # identical (no symmetry breaking), without the standstill of all zeros.
    return np.full((k, k_prev), EQUAL_VALUE), np.full((k, 1), EQUAL_VALUE)


def _zeros(rng, k, k_prev):
    # Every parameter 0: all hidden neurons of a layer stay identical (no symmetry breaking).
    return np.zeros((k, k_prev)), np.zeros((k, 1))


INITIALISERS: dict[str, Initialiser] = {
    i.name: i
    for i in (
        Initialiser("small", "small random values near zero, N(0, 0.1²)", _small),
        Initialiser("normal", "N(0, 1) for weights and biases", _normal),
        Initialiser("scaled", "N(0, 1/K_(l−1)) weights, N(0, 1) biases", _scaled),
        Initialiser("uniform", "uniform ±0.5 weights, biases 0.1", _uniform),
        Initialiser("equal", "all equal, every w and b = 0.5 (no symmetry breaking)", _equal),
        Initialiser("zeros", "all zeros (no symmetry breaking)", _zeros),
    )
}


def get_initialiser(name: str) -> Initialiser:
    try:
        return INITIALISERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown initialisation {name!r:.60}; expected one of {sorted(INITIALISERS)}"
        ) from None


def initial_params(sizes: Sequence[int], scheme: str, seed: int) -> Params:
    """w^l, b^l for l = 2 … L drawn by ``scheme`` from ``default_rng(seed)``."""
    draw = get_initialiser(scheme).draw
    rng = np.random.default_rng(seed)
    w, b = {}, {}
    for l in range(2, len(sizes) + 1):
        w[l], b[l] = draw(rng, sizes[l - 1], sizes[l - 2])
    return w, b
