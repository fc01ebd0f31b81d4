"""Networks from the lecture, with their weights exactly as printed."""

from __future__ import annotations

import numpy as np

from playground.network import Network

#: Fig. 5: rows are hidden neurons j = 1, 2; columns are the inputs x1, x2 and the constant 1.
XOR_W2 = ((1.0, 1.0, 0.0), (1.0, 1.0, -1.0))
#: Fig. 5: the output neuron's weights from hidden neurons 1 and 2.
XOR_W3 = ((1.0, -2.0),)

#: The four binary inputs in the order of the lecture's table.
XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def lecture_xor() -> Network:
    """The XOR network of Example 1 / Fig. 5: inputs (x1, x2, 1), two ReLU hidden units, a ReLU
    output, every bias zero. The third input is the constant 1, which plays the bias's role."""
    net = Network([3, 2, 1], activations="relu", init="zeros")
    net.set_params(
        {2: np.array(XOR_W2), 3: np.array(XOR_W3)},
        {2: np.zeros((2, 1)), 3: np.zeros((1, 1))},
    )
    return net


def with_constant_input(x: np.ndarray) -> np.ndarray:
    """Append the constant input 1 as a last row: (2, N) → (3, N), as Fig. 5 feeds its network."""
    x = np.asarray(x, dtype=np.float64)
    return np.vstack([x, np.ones((1, x.shape[1]))])


def lecture_xor_inputs() -> np.ndarray:
    """The four inputs of the lecture's table as a (3, 4) batch, constant 1 included."""
    return with_constant_input(np.array(XOR_INPUTS).T)
