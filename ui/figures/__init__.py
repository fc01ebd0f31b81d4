"""Plotly figure builders: numbers in, plain figure dicts out (no streamlit).

One module per picture (``boundary``, ``curves``, ``network``, ``diagram``, ``neuron``, ``xor``,
``activations``), each returning ``{"data", "layout"}`` dicts and, where a chart is redrawn while
training, a paired ``*_update`` with only what a frame changes. ``style`` holds the look they
share (palette, fonts, layout bits) and ``encode`` how their arrays travel (typed arrays, uint8
levels, PNG data URLs). Every number drawn comes from the engine or the page models; nothing
here computes the lecture's maths.
"""
