"""The playground engine: the lecture's network, backpropagation and gradient descent in numpy.

It imports numpy and the standard library only, so it runs in a notebook or a test as it does
in the app. Layers are numbered as in the lecture (1 = input … L = output), examples are the
columns of a batch, and every equation cites its number in the lecture where it is computed.

    >>> from playground import Network
    >>> net = Network([2, 4, 1], activations="tanh", seed=0)
    >>> g = net.backprop(x, y)        # g.cost, g.delta[l], g.w[l], g.b[l]

More than two classes: K_L outputs with one-hot targets (``encode_targets(labels, targets,
outputs=K)``), a softmax output (``OUTPUT_ACTIVATIONS``) with the cross-entropy, the accuracy
and confusion matrix (``metrics.py``). Regularisation: ``Network(…, regularization="l2",
regularization_rate=λ)`` adds R(w) to C and its derivative to (24) (``regularization.py``).
"""

from playground.activations import (
    ACTIVATIONS,
    LECTURE_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    Activation,
    get_activation,
    get_output_activation,
)
from playground.costs import COSTS, Cost, get_cost
from playground.gradcheck import ParamCheck, gradient_check, max_rel_error
from playground.init import INITIALISERS, initial_params
from playground.metrics import (
    GradientSummary,
    classes_of,
    confusion_matrix,
    gradient_summary,
    winning_class,
)
from playground.network import Forward, Gradients, Network
from playground.regularization import REGULARIZATIONS, Regularization
from playground.serialize import network_from_json, network_to_json
from playground.training import Divergence, StepPreview, Trainer, encode_targets

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "INITIALISERS",
    "LECTURE_ACTIVATIONS",
    "OUTPUT_ACTIVATIONS",
    "REGULARIZATIONS",
    "Activation",
    "Cost",
    "Divergence",
    "Forward",
    "GradientSummary",
    "Gradients",
    "Network",
    "ParamCheck",
    "Regularization",
    "StepPreview",
    "Trainer",
    "classes_of",
    "confusion_matrix",
    "encode_targets",
    "get_activation",
    "get_cost",
    "get_output_activation",
    "gradient_check",
    "gradient_summary",
    "initial_params",
    "max_rel_error",
    "network_from_json",
    "network_to_json",
    "winning_class",
]
