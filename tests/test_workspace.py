"""Preallocated buffers: reused when nothing holds a result, never while something does."""

import threading

import numpy as np

from playground import Network, Trainer
from playground.workspace import MAX_BYTES, PER_KEY, Workspace, Workspaces
from tests.conftest import batch


def _address(arr):
    return arr.__array_interface__["data"][0]


def test_a_held_forward_pass_is_never_overwritten():
    net = Network([2, 5, 3, 1], activations="tanh", seed=0)
    first = net.feedforward(batch(2, 7, seed=1))
    expected = {l: a.copy() for l, a in first.a.items()}
    z3 = first.z[3].copy()
    for seed in range(2, 2 + 3 * PER_KEY):  # more passes than there are kept workspaces
        net.feedforward(batch(2, 7, seed=seed))
    for l, a in first.a.items():
        np.testing.assert_array_equal(a, expected[l])
    np.testing.assert_array_equal(first.z[3], z3)


def test_one_array_kept_from_a_result_keeps_its_values():
    net = Network([2, 4, 2], activations="sigmoid", seed=0)
    x = batch(2, 6, seed=1)
    row = net.backprop(x, batch(2, 6, seed=2)).delta[2][1]  # one row of δ^2; the rest dropped
    kept, out = row.copy(), net.predict(x)[0]
    expected_out = out.copy()
    for seed in range(3, 9):
        net.backprop(batch(2, 6, seed=seed), batch(2, 6, seed=seed + 10))
        net.predict(batch(2, 6, seed=seed))
    np.testing.assert_array_equal(row, kept)
    np.testing.assert_array_equal(out, expected_out)


def test_held_gradients_keep_every_part():
    net = Network([2, 3, 1], activations="tanh", seed=0)
    x, y = batch(2, 5), batch(1, 5, seed=1)
    g = net.backprop(x, y)
    parts = [g.flat, *g.w.values(), *g.b.values(), *g.delta.values(), *g.forward.a.values()]
    copies = [p.copy() for p in parts]
    net.train_step(x, y, 0.5)  # a step on the same batch size, with new weights afterwards
    net.backprop(x, y)
    for part, copy in zip(parts, copies, strict=True):
        np.testing.assert_array_equal(part, copy)


def test_buffers_are_reused_once_the_result_is_dropped():
    net = Network([2, 8, 8, 1], activations="tanh", seed=0)
    x, y = batch(2, 50), batch(1, 50, seed=1)
    g = net._backprop(x, y)
    at = _address(g.flat)
    del g
    for _ in range(3):
        g = net._backprop(x, y)
        assert _address(g.flat) == at
        net.apply_gradients(g, 0.1)
        del g
    grid = batch(2, 100, seed=2).astype(np.float32)
    out = net._feedforward(grid, np.float32).output
    at = _address(out)
    del out
    assert _address(net._feedforward(grid, np.float32).output) == at


def test_a_result_and_the_next_one_use_two_buffers_in_turn():
    # The app keeps the picture of the last frame while it computes the next one.
    net = Network([2, 4, 1], activations="tanh", seed=0)
    grid = batch(2, 30).astype(np.float32)
    held = net._feedforward(grid, np.float32)
    seen = {_address(held.output)}
    for _ in range(4):
        held = net._feedforward(grid, np.float32)  # the previous one is dropped only now
        seen.add(_address(held.output))
    assert len(seen) == 2


def test_what_a_caller_does_with_a_result_does_not_reach_the_next_one():
    net = Network([2, 3, 2], activations="relu", seed=0)
    x, y = batch(2, 4), batch(2, 4, seed=1)
    g = net.backprop(x, y)
    expected = g.w[2].copy()
    g.w[2] = "replaced"  # the dicts are the caller's
    del g.delta[3]
    g.forward.a[2][...] = np.nan  # and so are the values, until the result is dropped
    picture = g.forward.z[2].reshape(-1)  # a reshaped view holds the buffers too
    del g
    g = net.backprop(x, y)
    np.testing.assert_array_equal(g.w[2], expected)
    assert list(g.delta) == [2, 3] and np.isfinite(g.forward.a[2]).all()
    assert not np.shares_memory(picture, g.forward.z[2])


def test_float32_pass_uses_the_current_weights():
    net = Network([2, 6, 1], activations="tanh", seed=0)
    grid = batch(2, 20, seed=3)
    before = net._feedforward(grid.astype(np.float32), np.float32).output.copy()
    net.train_step(batch(2, 10), batch(1, 10, seed=1), 5.0)
    after = net._feedforward(grid.astype(np.float32), np.float32).output
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, net.predict(grid), atol=1e-5)


def test_the_trainer_steps_in_one_workspace_and_its_gradients_stay_valid():
    x, y = batch(2, 40), batch(1, 40, seed=1)
    net = Network([2, 5, 1], activations="tanh", seed=0)
    t = Trainer(net, x, y, x_test=batch(2, 40, seed=2), y_test=batch(1, 40, seed=3))
    t.step(3)
    held = t.gradients  # the page keeps these for its neuron statistics
    copy = held.flat.copy(), held.forward.z[2].copy()
    t.step(5)
    np.testing.assert_array_equal(held.flat, copy[0])  # still the gradients of step 3
    np.testing.assert_array_equal(held.forward.z[2], copy[1])
    del held
    t.step(5)
    kept = net._workspaces._kept
    assert len(kept[(True, 40, np.float64)]) == 2  # the held result needed a second one
    assert len(kept[(False, 40, np.float64)]) == 1  # the test set, same N: its own workspace
    assert t.gradients.cost == net.backprop(x, y).cost


def test_workspace_is_free_only_when_nothing_refers_to_its_block():
    ws = Workspace((2, 3, 1), 5, np.float64, backward=True)
    assert ws.is_free()
    view = ws.z[2][1:]
    assert not ws.is_free()
    del view
    assert ws.is_free()
    z, a, delta, gw, gb, flat = ws.caller_views()
    assert not ws.is_free()
    del z, a, delta, gw, gb
    assert not ws.is_free()
    del flat
    assert ws.is_free()
    ws.busy = True
    assert not ws.is_free()


def test_layout_puts_the_constant_input_under_each_hidden_layer():
    ws = Workspace((3, 4, 2), 6, np.float32, backward=False)
    assert ws.A[1].shape == (4, 6) and ws.A[2].shape == (5, 6)
    np.testing.assert_array_equal(ws.A[1][-1], np.ones(6))
    assert np.shares_memory(ws.a[2], ws.A[2]) and ws.a[2].shape == (4, 6)
    assert ws.Wb[2].shape == (4, 4) and ws.Wb[3].shape == (2, 5) and ws.theta.dtype == np.float32
    assert list(ws.a) == [1, 2, 3] and list(ws.z) == [2, 3]


def test_workspaces_keep_at_most_a_bounded_amount_of_memory():
    pool = Workspaces((2, 256, 256, 1))
    huge = pool.take(MAX_BYTES // (8 * 256), np.float64, backward=True)
    huge.busy = False
    assert pool.nbytes == 0  # larger than the cap: a one-off
    for n in (2000, 3000, 4000, 5000):
        pool.take(n, np.float64, backward=False).busy = False
    assert 0 < pool.nbytes <= MAX_BYTES


def test_two_threads_never_share_a_workspace():
    # Different targets per thread: a shared buffer would show up as a wrong gradient.
    net = Network([2, 16, 16, 1], activations="tanh", seed=0)
    x = batch(2, 300)
    ys = [batch(1, 300, seed=1), batch(1, 300, seed=2)]
    expected = [net.backprop(x, y).flat.copy() for y in ys]
    errors = []

    def work(i):
        for _ in range(50):
            g = net._backprop(x, ys[i])
            if not np.array_equal(g.flat, expected[i]):
                errors.append(f"thread {i} got another thread's gradient")
            del g

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
