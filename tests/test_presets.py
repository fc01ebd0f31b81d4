import numpy as np

from playground.presets import lecture_xor, lecture_xor_inputs, with_constant_input

# The lecture's table (Example 1): x1, x2, a^2_1, a^2_2, a^3_1
LECTURE_TABLE = [
    (0, 0, 0, 0, 0),
    (0, 1, 1, 0, 1),
    (1, 0, 1, 0, 1),
    (1, 1, 2, 1, 0),
]


def test_xor_network_reproduces_the_lecture_table_exactly():
    net = lecture_xor()
    fwd = net.feedforward(lecture_xor_inputs())
    for i, (x1, x2, a21, a22, a31) in enumerate(LECTURE_TABLE):
        assert fwd.a[1][:, i].tolist() == [x1, x2, 1.0]
        assert fwd.a[2][:, i].tolist() == [a21, a22]
        assert fwd.a[3][0, i] == a31


def test_xor_network_is_fig_5():
    net = lecture_xor()
    assert net.sizes == (3, 2, 1)
    assert net.activations == ("relu", "relu")
    assert net.w[2].tolist() == [[1, 1, 0], [1, 1, -1]]
    assert net.w[3].tolist() == [[1, -2]]
    assert not net.b[2].any() and not net.b[3].any()


def test_xor_network_has_zero_cost_on_its_four_points():
    g = lecture_xor().backprop(lecture_xor_inputs(), np.array([[0.0, 1.0, 1.0, 0.0]]))
    assert g.cost == 0.0


def test_constant_input_is_appended_as_the_last_row():
    x = np.array([[0.5, 2.0], [-1.0, 3.0]])
    np.testing.assert_array_equal(with_constant_input(x), [[0.5, 2.0], [-1.0, 3.0], [1, 1]])
