"""The playground engine: the lecture's network, backpropagation and gradient descent in numpy.

It imports numpy and the standard library only, so it runs in a notebook or a test as it does
in the app. Layers are numbered as in the lecture (1 = input … L = output), examples are the
columns of a batch, and every equation cites its number in the lecture where it is computed.

    >>> from playground import Network
    >>> net = Network([2, 4, 1], activations="tanh", seed=0)
    >>> g = net.backprop(x, y)        # g.cost, g.delta[l], g.w[l], g.b[l]
"""

from playground.activations import ACTIVATIONS, LECTURE_ACTIVATIONS, Activation, get_activation
from playground.costs import COSTS, Cost, get_cost
from playground.gradcheck import ParamCheck, gradient_check, max_rel_error
from playground.init import INITIALISERS, initial_params
from playground.network import Forward, Gradients, Network
from playground.serialize import network_from_json, network_to_json
from playground.training import Divergence, Trainer, encode_targets

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "INITIALISERS",
    "LECTURE_ACTIVATIONS",
    "Activation",
    "Cost",
    "Divergence",
    "Forward",
    "Gradients",
    "Network",
    "ParamCheck",
    "Trainer",
    "encode_targets",
    "get_activation",
    "get_cost",
    "gradient_check",
    "initial_params",
    "max_rel_error",
    "network_from_json",
    "network_to_json",
]
