import numpy as np
import pytest

from playground.history import History


def test_rows_are_recorded_in_order():
    h = History(["step", "cost"], capacity=8)
    for t in range(5):
        h.record({"step": t, "cost": 1.0 / (t + 1)})
    assert len(h) == 5
    np.testing.assert_array_equal(h.column("step"), [0, 1, 2, 3, 4])
    assert h.last() == {"step": 4.0, "cost": 0.2}


def test_history_stays_bounded_and_keeps_the_whole_run_at_coarser_resolution():
    h = History(["step", "cost"], capacity=8)
    for t in range(1000):
        h.record({"step": t, "cost": float(t)})
        assert len(h) <= 8
    steps = h.column("step")
    assert steps[0] == 0 and steps[-1] >= 1000 - h.stride
    assert np.all(np.diff(steps) == h.stride)


def test_missing_columns_are_nan_and_columns_are_read_only():
    h = History(["step", "cost", "acc"], capacity=4)
    h.record({"step": 0, "cost": 1.0})
    assert np.isnan(h.column("acc")[0])
    with pytest.raises(ValueError):
        h.column("cost")[0] = 5.0


def test_bad_arguments():
    with pytest.raises(ValueError, match="capacity must be an even number"):
        History(["step"], capacity=3)
    with pytest.raises(ValueError, match="columns must include 'step'"):
        History(["cost"])
    with pytest.raises(ValueError, match="unknown column 'x'"):
        History(["step"]).column("x")


def test_put_overwrites_the_row_of_the_same_step_and_records_a_new_one():
    h = History(["step", "c"], capacity=4)
    h.put({"step": 0, "c": 1.0})
    h.put({"step": 0, "c": 2.0})  # the weights of step 0 changed (an edit)
    assert h.column("c").tolist() == [2.0] and len(h) == 1
    h.put({"step": 1})
    assert len(h) == 2 and np.isnan(h.column("c")[1])
