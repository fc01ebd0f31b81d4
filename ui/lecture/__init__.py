"""The models of the lecture pages (no streamlit): what each page computes, from the engine.

``neuron`` (One neuron, §I.A), ``xor`` (The XOR network, Fig. 5), and for Backpropagation
(§I.D) ``backprop`` (the network, data and steps taken), ``ledger`` (every number of one step as
tables) and ``worked`` (one entry of each step in LaTeX). A page draws what these return.
"""
