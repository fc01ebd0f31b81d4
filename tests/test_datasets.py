"""Tests for playground.datasets: shapes, determinism, each generator's geometry, validation."""

import inspect
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground import datasets
from playground.datasets import (
    DATASETS,
    MAX_POINTS,
    Dataset,
    lecture_xor_points,
    make_dataset,
    replace_split,
    split_mask,
    with_points,
)

GENERATED = [name for name in DATASETS if name != "xor_lecture"]
CLASSIFICATION = [n for n in GENERATED if DATASETS[n].kind == "classification"]
REGRESSION = [n for n in GENERATED if DATASETS[n].kind == "regression"]


def radii(ds, cls=None):
    x = ds.x if cls is None else ds.x[:, ds.y[0] == cls]
    return np.hypot(x[0], x[1])


# --- shapes, dtypes, determinism -----------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_shapes_and_dtypes(name):
    ds = make_dataset(name, n_points=101, noise=0.2)
    d = DATASETS[name].d
    assert (ds.name, ds.kind, ds.n, ds.d) == (name, DATASETS[name].kind, 101, d)
    assert ds.x.shape == (d, 101) and ds.x.dtype == np.float64
    assert ds.y.shape == (1, 101) and ds.y.dtype == np.float64
    assert ds.train.shape == (101,) and ds.train.dtype == np.bool_
    assert ds.x_train.shape == (d, ds.train.sum()) and ds.y_test.shape == (1, (~ds.train).sum())


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_labels_are_0_and_1_in_equal_halves(name):
    ds = make_dataset(name, n_points=400)
    assert set(np.unique(ds.y)) == {0.0, 1.0}
    if name != "xor":  # xor's classes are quadrants, not halves
        assert ds.y.sum() == 200


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    a = make_dataset(name, noise=0.3, seed=7)
    b = make_dataset(name, noise=0.3, seed=7)
    c = make_dataset(name, noise=0.3, seed=8)
    for field in ("x", "y", "train"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.x, c.x)
    assert not np.array_equal(a.train, c.train)


def test_randomness_comes_from_seeded_generators_only():
    # never the global np.random state: every draw goes through default_rng(seed)
    source = inspect.getsource(datasets)
    assert set(re.findall(r"np\.random\.\w+", source)) == {
        "np.random.default_rng",
        "np.random.Generator",
    }


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_examples_come_in_shuffled_order(name):
    # the generators emit class by class; the first 50 examples must mix both classes
    assert 0 < make_dataset(name).y[0, :50].sum() < 50


# --- geometry, as TensorFlow Playground defines each set -----------------------------------


def test_circle_without_noise_is_a_disc_inside_a_ring():
    ds = make_dataset("circle", noise=0.0)
    assert radii(ds, 1).max() <= 2.5
    assert 3.5 <= radii(ds, 0).min() and radii(ds, 0).max() <= 5.0


def test_circle_noise_flips_labels_but_not_positions():
    ds = make_dataset("circle", noise=0.5)
    r = radii(ds)
    assert ((r <= 2.5) | (r >= 3.5)).all()
    assert (radii(ds, 1) > 3.5).any() and (radii(ds, 0) < 2.5).any()


def test_xor_keeps_0_3_off_both_axes_and_labels_by_quadrant():
    ds = make_dataset("xor", noise=0.0)
    assert (np.abs(ds.x) >= 0.3).all() and (np.abs(ds.x) <= 5.3).all()
    # TensorFlow Playground's +1 (class 1) is where x1·x2 ≥ 0
    assert np.array_equal(ds.y[0], (ds.x[0] * ds.x[1] > 0).astype(float))


def test_xor_noise_flips_some_labels():
    ds = make_dataset("xor", noise=0.5)
    assert (ds.y[0] != (ds.x[0] * ds.x[1] > 0)).mean() > 0.05


@pytest.mark.parametrize(("noise", "variance"), [(0.0, 0.5), (0.25, 2.25), (0.5, 4.0)])
def test_gauss_means_near_plus_minus_2_and_spread_from_noise(noise, variance):
    ds = make_dataset("gauss", n_points=4000, noise=noise)
    for cls, centre in ((1, 2.0), (0, -2.0)):
        pts = ds.x[:, ds.y[0] == cls]
        np.testing.assert_allclose(pts.mean(axis=1), [centre, centre], atol=0.15)
        np.testing.assert_allclose(pts.var(axis=1), [variance, variance], rtol=0.1)


def test_spiral_without_noise_follows_two_arms_of_radius_up_to_5():
    ds = make_dataset("spiral", n_points=500, noise=0.0)
    for cls, shift in ((1, 0.0), (0, np.pi)):
        x1, x2 = ds.x[:, ds.y[0] == cls]
        t = np.hypot(x1, x2) / 5  # r = 5t
        assert t.max() < 1.0
        # θ = 1.75·2πt + shift, measured as TensorFlow Playground does: x1 = r sin θ, x2 = r cos θ
        theta = 1.75 * 2 * np.pi * t + shift
        np.testing.assert_allclose(x1, 5 * t * np.sin(theta), atol=1e-12)
        np.testing.assert_allclose(x2, 5 * t * np.cos(theta), atol=1e-12)


def test_spiral_jitter_is_at_most_noise():
    # the generator draws the same random numbers at every noise level, so example k is the
    # same point of the same arm in both sets, moved by U(−1, 1)·noise in each coordinate
    clean = make_dataset("spiral", noise=0.0)
    noisy = make_dataset("spiral", noise=0.4)
    assert np.array_equal(clean.y, noisy.y)
    shift = np.abs(noisy.x - clean.x)
    assert 0.3 < shift.max() <= 0.4


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_label_noise_keeps_positions_and_flips_labels(name):
    clean = make_dataset(name, noise=0.0)
    noisy = make_dataset(name, noise=0.3)
    assert np.array_equal(clean.x, noisy.x)
    assert 0.02 < (clean.y != noisy.y).mean() < 0.5


def test_plane_target_is_x1_plus_x2_over_10():
    ds = make_dataset("plane", noise=0.0)
    np.testing.assert_allclose(ds.y[0], (ds.x[0] + ds.x[1]) / 10)
    assert (np.abs(ds.x) <= 6).all()


def test_gauss_bumps_peak_at_their_centres_with_alternating_signs():
    ds = make_dataset("gauss_bumps", n_points=5000, noise=0.0)
    assert (np.abs(ds.y) <= 1).all() and (np.abs(ds.x) <= 6).all()
    for c1, c2, sign in ((-4, 2.5, 1), (0, 2.5, -1), (0, -2.5, 1), (4, -2.5, -1)):
        near = np.hypot(ds.x[0] - c1, ds.x[1] - c2) < 0.5
        assert near.any() and (np.sign(ds.y[0, near]) == sign).all()
        assert (np.abs(ds.y[0, near]) > 0.75).all()  # 1 − dist/2 > 0.75
    far = np.min(
        [np.hypot(ds.x[0] - c1, ds.x[1] - c2) for c1 in (-4, 0, 4) for c2 in (-2.5, 2.5)], 0
    )
    assert (ds.y[0, far >= 2] == 0).all()


def test_sine_1d_is_sin_x_on_minus_6_to_6():
    ds = make_dataset("sine_1d", noise=0.0)
    assert ds.d == 1 and (np.abs(ds.x) <= 6).all()
    np.testing.assert_allclose(ds.y[0], np.sin(ds.x[0]))


def test_sine_1d_noise_is_bounded_by_noise():
    ds = make_dataset("sine_1d", noise=0.2)
    residual = ds.y[0] - np.sin(ds.x[0])
    assert np.abs(residual).max() <= 0.2 and residual.std() > 0.05


@pytest.mark.parametrize("name", GENERATED)
def test_points_stay_near_the_drawn_square(name):
    ds = make_dataset(name, noise=0.5)
    limit = 10 if name == "gauss" else 6.5  # variance 4 at noise 0.5: 4σ = 8 from (±2, ±2)
    assert (np.abs(ds.x) <= limit).all()


# --- the lecture's XOR ----------------------------------------------------------------------


def test_lecture_xor_points_are_the_four_binary_inputs():
    ds = lecture_xor_points()
    assert ds.x.T.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert ds.y.tolist() == [[0, 1, 1, 0]]
    assert ds.train.all() and ds.x_test.shape == (2, 0)


def test_make_dataset_xor_lecture_ignores_n_noise_and_split():
    ds = make_dataset("xor_lecture", n_points=50, noise=0.5, train_fraction=0.05, seed=3)
    assert ds.name == "xor_lecture" and ds.n == 4 and ds.train.all()


# --- split -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "fraction", "n_train"), [(500, 0.5, 250), (500, 0.1, 50), (7, 0.9, 6), (1, 0.1, 1)]
)
def test_split_has_round_fraction_times_n_training_points(n, fraction, n_train):
    ds = make_dataset("circle", n_points=n, train_fraction=fraction)
    assert ds.train.sum() == n_train and ds.x_train.shape[1] + ds.x_test.shape[1] == n


def test_replace_split_keeps_the_points_and_matches_make_dataset():
    ds = make_dataset("spiral", train_fraction=0.5, seed=4)
    re = replace_split(ds, train_fraction=0.8, seed=4)
    direct = make_dataset("spiral", train_fraction=0.8, seed=4)
    assert re.x is ds.x and re.y is ds.y
    assert np.array_equal(re.train, direct.train) and re.train.sum() == 400


def test_split_mask_is_seeded():
    a = split_mask(100, train_fraction=0.3, seed=1)
    assert np.array_equal(a, split_mask(100, train_fraction=0.3, seed=1))
    assert not np.array_equal(a, split_mask(100, train_fraction=0.3, seed=2))


def test_with_points_makes_every_drawn_point_a_training_point():
    ds = make_dataset("gauss", n_points=10)
    edited = with_points(ds, ds.x[:, :3], ds.y[:, :3])
    assert edited.n == 3 and edited.train.all() and edited.name == "gauss"
    with pytest.raises(ValueError, match=r"classification labels must be 0 or 1, got \[0\. 2\.\]"):
        with_points(ds, [[0.0, 1.0], [0.0, 1.0]], [[0.0, 2.0]])


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "moons"}, r"unknown dataset 'moons'; expected one of \['circle', "),
        ({"n_points": 0}, r"n_points must be an integer from 1 to 5000, got 0"),
        ({"n_points": MAX_POINTS + 1}, r"n_points must be an integer from 1 to 5000, got 5001"),
        ({"n_points": 10.0}, r"n_points must be an integer from 1 to 5000, got 10\.0"),
        ({"noise": -0.1}, r"noise must be a number from 0 to 0\.5 \(0–50 %\), got -0\.1"),
        ({"noise": 50}, r"noise must be a number from 0 to 0\.5 \(0–50 %\), got 50"),
        ({"noise": float("nan")}, r"noise must be a number .*, got nan"),
        ({"train_fraction": 0.05}, r"train_fraction must be a number from 0\.1 to 0\.9, got 0\.05"),
        ({"train_fraction": 1}, r"train_fraction must be a number from 0\.1 to 0\.9, got 1"),
        ({"seed": 1.5}, r"seed must be a non-negative integer, got 1\.5"),
        ({"seed": -1}, r"seed must be a non-negative integer, got -1"),
        ({"seed": "3"}, r"seed must be a non-negative integer, got '3'"),
        ({"seed": True}, r"seed must be a non-negative integer, got True"),
    ],
)
def test_make_dataset_rejects_bad_arguments(kwargs, message):
    kwargs = {"name": "circle", **kwargs}
    with pytest.raises(ValueError, match=message):
        make_dataset(kwargs.pop("name"), **kwargs)


def test_make_dataset_accepts_numpy_integers_and_floats():
    ds = make_dataset("xor", n_points=np.int64(20), noise=np.float64(0.1), seed=np.uint32(3))
    assert ds.n == 20


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "ranking"}, r"unknown kind 'ranking'; expected one of \['classification', "),
        (
            {"x": np.zeros((3, 2))},
            r"x must have shape \(1, N\) or \(2, N\) with N ≥ 1, got \(3, 2\)",
        ),
        ({"y": np.zeros((2,))}, r"y must have shape \(1, 2\), got \(2,\)"),
        ({"train": np.array([1, 0])}, r"train must be a bool array of shape \(2,\), got int64"),
        ({"train": np.zeros(2, bool)}, r"train must mark at least one training example"),
        ({"x": [[0.0, np.nan], [0.0, 0.0]]}, r"x and y must be finite, got NaN or ±inf"),
        ({"class_names": ("a", "a")}, r"class_names must be two distinct names"),
    ],
)
def test_dataset_checks_its_fields(fields, message):
    args = {
        "name": "t",
        "kind": "classification",
        "x": np.zeros((2, 2)),
        "y": np.array([[0.0, 1.0]]),
        "train": np.array([True, False]),
        **fields,
    }
    with pytest.raises(ValueError, match=message):
        Dataset(**args)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(DATASETS)),
    n_points=st.integers(1, 600),
    noise=st.floats(0.0, 0.5),
    train_fraction=st.floats(0.1, 0.9),
    seed=st.integers(0, 2**32),
)
def test_any_valid_arguments_give_a_consistent_dataset(name, n_points, noise, train_fraction, seed):
    ds = make_dataset(
        name, n_points=n_points, noise=noise, train_fraction=train_fraction, seed=seed
    )
    assert ds.x.shape == (DATASETS[name].d, ds.n) and np.isfinite(ds.x).all()
    if name != "xor_lecture":
        assert ds.n == n_points and ds.train.sum() == max(1, round(train_fraction * n_points))
    if ds.kind == "regression":
        assert (np.abs(ds.y) <= 1.8).all()  # plane at noise 0.5: |x1 + x2 + jitter|/10 ≤ 18/10


# --- what existing links draw must not change (issue 14 added classes to gauss and spiral) ---

# Σ_k k·x_k and Σ_k k·y_k (k = 1 … N) and the first hex digits of sha256 of the split mask, as
# main drew them before issue 14. Labels and splits are exact; coordinates go through sin, cos
# and hypot, whose last bit may differ on another CPU, hence a relative tolerance.
PINNED = {
    (500, 0.0, 0.5, 0): [
        ("xor_lecture", 13.0, 5.0, "27ecd0a598e7"),
        ("xor", 39832.24002940401, 58471.0, "cb2f9804ef5b"),
        ("circle", 21090.930629231847, 60930.0, "cb2f9804ef5b"),
        ("gauss", -15096.47322594286, 61646.0, "cb2f9804ef5b"),
        ("spiral", -2693.153611387129, 60479.0, "cb2f9804ef5b"),
        ("plane", 42337.48803528481, 4233.748803528482, "cb2f9804ef5b"),
        ("gauss_bumps", 42337.48803528481, -2586.9986612650773, "cb2f9804ef5b"),
        ("sine_1d", 50205.16609129742, 2791.908813561633, "cb2f9804ef5b"),
    ],
    (137, 0.3, 0.4, 11): [
        ("xor_lecture", 13.0, 5.0, "27ecd0a598e7"),
        ("xor", -3345.5695737348583, 4512.0, "22e4a91295aa"),
        ("circle", 936.5543166166974, 4032.0, "22e4a91295aa"),
        ("gauss", 3561.216644161578, 4993.0, "22e4a91295aa"),
        ("spiral", 800.4290853976912, 4747.0, "22e4a91295aa"),
        ("plane", -3621.5634884818287, -346.64011217237476, "22e4a91295aa"),
        ("gauss_bumps", -3621.5634884818287, -232.00658144335483, "22e4a91295aa"),
        ("sine_1d", -5373.788724199908, 1208.0966316745191, "22e4a91295aa"),
    ],
}


@pytest.mark.parametrize(
    ("args", "name", "x_sum", "y_sum", "split"),
    [(args, *row) for args, rows in PINNED.items() for row in rows],
)
def test_seeded_sets_draw_what_they_drew_before_issue_14(args, name, x_sum, y_sum, split):
    import hashlib

    n_points, noise, train_fraction, seed = args
    ds = make_dataset(
        name, n_points=n_points, noise=noise, train_fraction=train_fraction, seed=seed
    )
    k = np.arange(1, ds.n + 1)
    assert float((ds.x * k).sum()) == pytest.approx(x_sum, rel=1e-11, abs=1e-9)
    if ds.kind == "classification":
        assert float((ds.y * k).sum()) == y_sum
    else:
        assert float((ds.y * k).sum()) == pytest.approx(y_sum, rel=1e-11, abs=1e-9)
    assert hashlib.sha256(ds.train.tobytes()).hexdigest()[:12] == split


# --- more than two classes (issue 14) --------------------------------------------------------

MULTI = [n for n, info in DATASETS.items() if info.classes and info.classes[1] > 2]


def test_gauss_and_spiral_offer_2_to_6_classes_and_the_others_do_not():
    assert MULTI == ["gauss", "spiral"]
    assert all(DATASETS[n].classes == (2, 6) for n in MULTI)
    assert DATASETS["circle"].classes == (2, 2) and DATASETS["plane"].classes is None
    assert DATASETS["gauss"].describe(4) == "4 Gaussian clouds around a circle of radius 3.5"
    assert DATASETS["spiral"].describe(3) == "3 interleaved spiral arms"
    assert (
        DATASETS["gauss"].describe(2)
        == DATASETS["gauss"].describe()
        == "Two Gaussian clouds at (2, 2) and (−2, −2)"
    )


@pytest.mark.parametrize("name", MULTI)
@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_k_classes_in_blocks_as_equal_as_they_can_be(name, k):
    ds = make_dataset(name, n_points=301, classes=k, seed=2)
    assert ds.n_classes == k and ds.names == tuple(f"class {c}" for c in range(k))
    counts = np.bincount(ds.y[0].astype(int), minlength=k)
    assert counts.sum() == 301 and counts.max() - counts.min() <= 1
    assert 0 < np.count_nonzero(ds.y[0, :60] == 0) < 60  # shuffled, like two classes


@pytest.mark.parametrize("name", MULTI)
def test_two_classes_asked_for_are_the_default_set(name):
    a = make_dataset(name, noise=0.2, seed=5)
    b = make_dataset(name, noise=0.2, seed=5, classes=2)
    for field in ("x", "y", "train"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
    assert a.n_classes == 2


@pytest.mark.parametrize("k", [3, 4, 6])
def test_gauss_clouds_sit_evenly_on_a_circle_of_radius_3_5(k):
    from playground.datasets import gauss_centres

    ds = make_dataset("gauss", n_points=5000, classes=k, seed=1)
    centres = gauss_centres(k)
    np.testing.assert_allclose(np.hypot(*centres), 3.5)
    np.testing.assert_allclose(centres[:, 0], [0.0, 3.5], atol=1e-12)  # class 0 at the top
    for c in range(k):
        pts = ds.x[:, ds.y[0] == c]
        np.testing.assert_allclose(pts.mean(axis=1), centres[:, c], atol=0.1)
        np.testing.assert_allclose(pts.var(axis=1), [0.5, 0.5], rtol=0.15)


@pytest.mark.parametrize("k", [3, 5])
def test_spiral_arms_are_one_arm_turned_by_a_kth_of_a_turn(k):
    ds = make_dataset("spiral", n_points=600, classes=k, noise=0.0)
    for c in range(k):
        x1, x2 = ds.x[:, ds.y[0] == c]
        t = np.hypot(x1, x2) / 5  # r = 5t
        assert t.max() < 1.0
        theta = 1.75 * 2 * np.pi * t + 2 * np.pi * (k - 1 - c) / k
        np.testing.assert_allclose(x1, 5 * t * np.sin(theta), atol=1e-12)
        np.testing.assert_allclose(x2, 5 * t * np.cos(theta), atol=1e-12)


@pytest.mark.parametrize(
    ("name", "classes", "message"),
    [
        ("gauss", 7, r"classes must be an integer from 2 to 6 for dataset 'gauss', got 7"),
        ("spiral", 1, r"classes must be an integer from 2 to 6 for dataset 'spiral', got 1"),
        ("gauss", 3.0, r"classes must be an integer from 2 to 6 .*, got 3\.0"),
        ("gauss", True, r"classes must be an integer .*, got True"),
        ("circle", 3, r"dataset 'circle' has 2 classes, got classes=3; gauss and spiral offer"),
        ("xor_lecture", 4, r"dataset 'xor_lecture' has 2 classes"),
        ("sine_1d", 2, r"dataset 'sine_1d' is a regression set; classes=2 is for classification"),
    ],
)
def test_bad_classes_are_clear_errors(name, classes, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(name, classes=classes)


def test_drawn_points_may_have_any_class_of_the_set_and_keep_it():
    ds = make_dataset("spiral", n_points=30, classes=4)
    x = np.hstack([ds.x, [[1.0, -1.0], [2.0, 0.5]]])
    y = np.hstack([ds.y, [[3.0, 0.0]]])
    drawn = with_points(ds, x, y)
    assert drawn.n_classes == 4 and drawn.y[0, -2] == 3.0 and drawn.train.all()
    with pytest.raises(ValueError, match=r"labels must be whole numbers 0 to 3 \(4 classes\), got"):
        with_points(ds, x, np.hstack([ds.y, [[4.0, 0.0]]]))
    moved = replace_split(drawn, train_fraction=0.5, seed=1)
    assert moved.n_classes == 4


def test_names_of_named_classes_and_of_regression():
    ds = Dataset("t", "classification", np.zeros((2, 3)), [[0.0, 2.0, 1.0]], np.ones(3, bool),
                 ("ant", "bee", "cat"))  # fmt: skip
    assert ds.n_classes == 3 and ds.names == ("ant", "bee", "cat")
    assert make_dataset("plane", n_points=5).names is None
    assert make_dataset("plane", n_points=5).n_classes is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"n_classes": 11}, r"n_classes must be an integer from 2 to 10, got 11"),
        ({"n_classes": 1}, r"n_classes must be an integer from 2 to 10, got 1"),
        ({"n_classes": 3, "y": [[0.0, 3.0]]}, r"labels must be whole numbers 0 to 2 \(3 classes\)"),
        ({"n_classes": 3, "y": [[0.0, 0.5]]}, r"labels must be whole numbers 0 to 2"),
        ({"n_classes": 3, "class_names": ("a", "b")}, r"class_names must be three distinct names"),
        ({"class_names": ("a", "b", "b")}, r"class_names must be three distinct names"),
        ({"class_names": ("a", 2)}, r"class_names must be two distinct names"),
        ({"kind": "regression", "n_classes": 2}, r"n_classes is for classification, got 2"),
        ({"kind": "regression", "class_names": ("a", "b")}, r"class_names must be two distinct"),
    ],
)
def test_dataset_checks_its_classes(fields, message):
    args = {
        "name": "t",
        "kind": "classification",
        "x": np.zeros((2, 2)),
        "y": np.array([[0.0, 1.0]]),
        "train": np.array([True, False]),
        **fields,
    }
    with pytest.raises(ValueError, match=message):
        Dataset(**args)


@pytest.mark.parametrize("name", MULTI)
@pytest.mark.parametrize("k", [3, 6])
def test_k_class_sets_without_noise_stay_in_the_drawn_square(name, k):
    ds = make_dataset(name, n_points=5000, classes=k, noise=0.0, seed=3)
    assert (np.abs(ds.x) <= 6.5).all()


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(MULTI),
    n_points=st.integers(1, 400),
    noise=st.floats(0.0, 0.5),
    classes=st.integers(2, 6),
    seed=st.integers(0, 2**32),
)
def test_any_valid_classes_give_a_consistent_dataset(name, n_points, noise, classes, seed):
    ds = make_dataset(name, n_points=n_points, noise=noise, classes=classes, seed=seed)
    assert ds.n == n_points and ds.n_classes == classes and np.isfinite(ds.x).all()
    assert set(np.unique(ds.y)) <= set(range(classes))
    assert len(np.unique(ds.y)) == min(classes, n_points)
