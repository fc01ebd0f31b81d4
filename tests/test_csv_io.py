"""Tests for playground.csv_io: exact round trips, accepted variants, and every error's message."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.csv_io import dataset_from_csv, dataset_to_csv
from playground.datasets import DATASETS, Dataset, make_dataset


def assert_same(a: Dataset, b: Dataset) -> None:
    assert a.kind == b.kind and a.class_names == b.class_names and a.n_classes == b.n_classes
    for field in ("x", "y", "train"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


# --- export and round trip --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("noise", [0.0, 0.35])
def test_round_trip_is_exact_for_every_dataset(name, noise):
    ds = make_dataset(name, n_points=300, noise=noise, train_fraction=0.3, seed=5)
    back = dataset_from_csv(dataset_to_csv(ds))
    assert back.name == "csv"
    assert_same(back, ds)


def test_export_writes_header_and_split_column():
    text = dataset_to_csv(make_dataset("xor_lecture"))
    assert text.splitlines() == [
        "x1,x2,label,split",
        "0.0,0.0,0,train",
        "0.0,1.0,1,train",
        "1.0,0.0,1,train",
        "1.0,1.0,0,train",
    ]


def test_export_of_1d_regression_has_x1_target_split():
    text = dataset_to_csv(make_dataset("sine_1d", n_points=3))
    assert text.splitlines()[0] == "x1,target,split"
    assert all(len(row.split(",")) == 3 for row in text.splitlines())


def test_round_trip_keeps_class_names_and_quotes_awkward_ones():
    ds = dataset_from_csv('1,2,"red, dark"\n3,4,blue\n5,6,blue\n')
    assert ds.class_names == ("blue", "red, dark")
    assert_same(dataset_from_csv(dataset_to_csv(ds)), ds)


# --- accepted variants -----------------------------------------------------------------------


def test_plain_rows_without_header_or_split():
    ds = dataset_from_csv("0,0,0\n0,1,1\n1,0,1\n1,1,0\n", train_fraction=0.5, seed=0)
    assert ds.kind == "classification" and ds.d == 2 and ds.n == 4
    assert ds.x.T.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert ds.y.tolist() == [[0, 1, 1, 0]] and ds.train.sum() == 2


@pytest.mark.parametrize(
    "text",
    [
        "x1;x2;label\n0,5;1;0\n2;3,25;1\n",  # semicolons and decimal commas
        "x1\tx2\tlabel\n0.5\t1\t0\n2\t3.25\t1\n",  # tabs
        "\ufeffx1,x2,label\r\n0.5,1,0\r\n2,3.25,1\r\n",  # BOM and Windows line ends
        "0.5 , 1 , 0\n\n2, 3.25, 1,\n",  # spaces, a blank line, a trailing comma
        "a,b,c\n0.5,1,-1\n2,3.25,+1\n",  # any header, −1/+1 labels
    ],
)
def test_variants_read_the_same_data(text):
    ds = dataset_from_csv(text)
    assert ds.x.tolist() == [[0.5, 2.0], [1.0, 3.25]]
    assert ds.y.tolist() == [[0.0, 1.0]] and ds.class_names is None


def test_bytes_with_utf8_bom_are_decoded():
    ds = dataset_from_csv("x1,x2,label\n1,2,rød\n3,4,blå\n".encode("utf-8-sig"))
    assert ds.class_names == ("blå", "rød") and ds.y.tolist() == [[1.0, 0.0]]


def test_two_strings_map_in_sorted_order():
    ds = dataset_from_csv("1,1,red\n2,2,blue\n3,3,red\n")
    assert ds.class_names == ("blue", "red") and ds.y.tolist() == [[1, 0, 1]]


def test_two_other_numbers_are_classes_in_sorted_order():
    ds = dataset_from_csv("1,1,2\n2,2,5\n3,3,5\n")
    assert ds.kind == "classification" and ds.class_names == ("2", "5")
    assert ds.y.tolist() == [[0, 1, 1]]


def test_many_distinct_numbers_are_regression_targets():
    ds = dataset_from_csv("1,1,0.5\n2,2,-0.25\n3,3,0.75\n")
    assert ds.kind == "regression" and ds.y.tolist() == [[0.5, -0.25, 0.75]]


def test_kind_can_be_forced():
    text = "1,1,0\n2,2,1\n3,3,1\n"
    assert dataset_from_csv(text, kind="regression").kind == "regression"
    assert dataset_from_csv("1,1,0\n2,2,1\n3,3,2\n", kind="regression").y.tolist() == [[0, 1, 2]]


def test_target_header_means_regression_even_with_two_values():
    ds = dataset_from_csv("x1,x2,target\n1,1,0\n2,2,1\n")
    assert ds.kind == "regression"


def test_one_dimensional_rows():
    ds = dataset_from_csv("x,y\n-1,0.5\n0,0.25\n1,-1\n")
    assert ds.d == 1 and ds.kind == "regression" and ds.x.tolist() == [[-1, 0, 1]]


def test_split_column_sets_train_and_test():
    ds = dataset_from_csv("1,1,0,train\n2,2,1,TEST\n3,3,1,train\n")
    assert ds.train.tolist() == [True, False, True]


def test_split_column_by_name_when_no_row_is_test():
    ds = dataset_from_csv("x1,x2,label,split\n1,1,0,train\n2,2,1,train\n")
    assert ds.train.all() and ds.d == 2


def test_without_split_column_the_split_is_seeded():
    text = "".join(f"{i},{i},{i % 2}\n" for i in range(20))
    a = dataset_from_csv(text, train_fraction=0.3, seed=1)
    assert a.train.sum() == 6
    assert np.array_equal(a.train, dataset_from_csv(text, train_fraction=0.3, seed=1).train)


# --- errors: what is wrong, and where --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", r"^the file is empty; expected rows like 'x1,x2,label'$"),
        (" \n\n,,\n", r"^the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", r"^the file contains NUL bytes; expected CSV text, got a "),
        (
            b"1,2,0\n3,4,\xff\n",
            r"^line 2: byte 11 of the file is not UTF-8; expected CSV text saved as UTF-8",
        ),
        ("x1,x2,label\n", r"^the file has 0 data row\(s\); expected at least 2$"),
        ("1,2,0\n", r"^the file has 1 data row\(s\); expected at least 2$"),
        ("1,2,0\n3,4\n", r"^line 2: expected 3 columns like line 1, got 2$"),
        ("a,b,c\n1,2,0\n3,4,1,0,1\n", r"^line 3: expected 3 columns like the header, got 5$"),
        (b"\xef\xbb\xbfx1,x2\n\xc0\n", r"^line 2: byte 10 of the file is not UTF-8"),
        ("1\n2\n", r"^line 1: expected 2 to 4 columns \(x1, optional x2, label or target, "),
        ("1,2,3,4,5\n1,2,3,4,5\n", r"^line 1: expected 2 to 4 columns .*, got 5$"),
        ("x1,x2,label\n1,2,0\n3,abc,1\n", r"^line 3, column 2 \('x2'\): 'abc' is not a number$"),
        ("1,2,0\n,4,1\n", r"^line 2, column 1 \('x1'\): empty value$"),
        ("1,2,0\n3,nan,1\n", r"^line 2, column 2 \('x2'\): 'nan' is not a finite number$"),
        ("1,2,0\n3,-inf,1\n", r"^line 2, column 2 \('x2'\): '-inf' is not a finite number$"),
        ("1,2,0\n3,1e999,1\n", r"^line 2, column 2 \('x2'\): '1e999' is not a finite number$"),
        ("1,2,0\n3,4,NaN\n", r"^line 2, column 3 \('label'\): 'NaN' is not a finite number$"),
        ("1,2,0\n3,4,,\n5,6,1\n", r"^line 2: expected 3 columns like line 1, got 2$"),
        ("x,y,c\n1,2,red\n3,4,red\n", r"^column 3 \('c'\): every label is 'red'; expected two "),
        ("1,2,1\n3,4,1\n", r"^column 3 \('label'\): every label is '1'; expected two classes$"),
        (
            "1,2,red\n3,4,blue\n5,6,red\n7,8,green\n",
            r"^line 4, column 3 \('label'\): a third class 'green'; expected two classes, "
            r"got \['red', 'blue'\] before$",
        ),
        (
            "1,2,0\n3,4,1\n5,6,2\n",
            r"^column 3 \('label'\): the labels \['0', '1', '2'\] look like 3 classes; "
            r"expected two classes, or kind='regression' for targets$",
        ),
        ("1,2,0,train\n3,4,1,maybe\n", r"^line 2, column 4 \('split'\): 'maybe' is not 'train' "),
        ("1,2,0,test\n3,4,1,test\n", r"^column 4 \('split'\): no row says 'train'; expected at "),
        (
            "1,2,0\n" + "9" * 140_000 + ",2,3\n",
            r"^line 2: not readable as CSV \(field larger than field limit \(131072\)\)$",
        ),
    ],
)
def test_bad_files_say_what_and_where(data, message):
    with pytest.raises(ValueError, match=message):
        dataset_from_csv(data)


def test_regression_targets_must_be_numbers():
    with pytest.raises(ValueError, match=r"^line 3, column 3 \('target'\): 'x' is not a number; "):
        dataset_from_csv("1,2,0.5\n3,4,0.25\n5,6,x\n", kind="regression")


def test_forced_classification_rejects_a_third_value():
    with pytest.raises(ValueError, match=r"^line 3, column 3 \('label'\): a third class '0\.75'"):
        dataset_from_csv("1,2,0.5\n3,4,0.25\n5,6,0.75\n", kind="classification")


def test_too_many_rows_names_the_first_extra_line():
    text = "x1,x2,label\n" + "1,2,0\n3,4,1\n" * 3
    assert dataset_from_csv(text, max_rows=6).n == 6
    with pytest.raises(ValueError, match=r"^line 7: more than 5 data rows; expected at most 5$"):
        dataset_from_csv(text, max_rows=5)


def test_too_many_bytes_for_str_and_bytes():
    text = "1,2,0\n3,4,1\n"
    with pytest.raises(ValueError, match=r"^the file has 12 bytes; expected at most 10$"):
        dataset_from_csv(text, max_bytes=10)
    with pytest.raises(ValueError, match=r"^the file has 12 bytes; expected at most 10$"):
        dataset_from_csv(text.encode(), max_bytes=10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "auto"}, r"unknown kind 'auto'; expected None \(auto\) or one of \["),
        ({"max_rows": 0}, r"max_rows must be a positive integer, got 0"),
        ({"max_bytes": 1.5}, r"max_bytes must be a positive integer, got 1\.5"),
        ({"train_fraction": 1.0}, r"train_fraction must be a number from 0\.1 to 0\.9, got 1\.0"),
        ({"seed": -2}, r"seed must be a non-negative integer, got -2"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dataset_from_csv("1,2,0\n3,4,1\n", **kwargs)


def test_data_must_be_text_or_bytes():
    with pytest.raises(TypeError, match=r"data must be str or bytes, got NoneType"):
        dataset_from_csv(None)


# --- properties: anything in, a Dataset or a ValueError out ----------------------------------

CSV_ALPHABET = st.sampled_from([*'0123456789.,;\t\n\r -+eE"abnfit', "train", "test"])


def check_parses_or_says_why(data):
    try:
        ds = dataset_from_csv(data)
    except ValueError as e:
        assert str(e)
        return
    assert ds.y.shape == (1, ds.n) and ds.n >= 2 and np.isfinite(ds.x).all()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_raises_only_value_error(text):
    check_parses_or_says_why(text)


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_random_bytes_raise_only_value_error(data):
    check_parses_or_says_why(data)


@settings(max_examples=500, deadline=None)
@given(st.lists(CSV_ALPHABET, max_size=80).map("".join))
def test_csv_like_text_raises_only_value_error(text):
    check_parses_or_says_why(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(allow_nan=False, allow_infinity=False),
            st.sampled_from([0.0, 1.0]),
            st.booleans(),
        ),
        min_size=2,
        max_size=30,
    ).filter(lambda rows: len({r[2] for r in rows}) == 2 and any(r[3] for r in rows))
)
def test_round_trip_is_exact_for_any_finite_floats(rows):
    x = np.array([[r[0] for r in rows], [r[1] for r in rows]])
    ds = Dataset(
        "csv",
        "classification",
        x,
        np.array([[r[2] for r in rows]]),
        np.array([r[3] for r in rows]),
    )
    assert_same(dataset_from_csv(dataset_to_csv(ds)), ds)


# --- more than two classes, when the caller allows them (issue 14) ----------------------------


@pytest.mark.parametrize("name", ["gauss", "spiral"])
@pytest.mark.parametrize("k", [3, 6])
def test_round_trip_of_k_classes_is_exact(name, k):
    ds = make_dataset(name, n_points=200, noise=0.3, classes=k, train_fraction=0.3, seed=5)
    back = dataset_from_csv(dataset_to_csv(ds), max_classes=10)
    assert back.n_classes == k and back.class_names is None
    assert_same(back, ds)


@pytest.mark.parametrize(
    ("text", "y", "names"),
    [
        ("1,2,red\n3,4,blue\n5,6,red\n7,8,green\n", [2, 0, 2, 1], ("blue", "green", "red")),
        ("1,2,0\n3,4,2\n5,6,1\n", [0, 2, 1], None),
        ("1,2,30\n3,4,10\n5,6,20\n", [2, 0, 1], ("10", "20", "30")),
        ("1,2,-1\n3,4,0\n5,6,1\n", [0, 1, 2], ("-1", "0", "1")),
        ("1,2,a\n3,4,b\n5,6,c\n7,8,d\n9,0,e\n1,1,f\n2,2,g\n3,3,h\n4,4,i\n5,5,j\n",
         list(range(10)), tuple("abcdefghij")),
    ],
)  # fmt: skip
def test_names_and_whole_numbers_as_classes(text, y, names):
    ds = dataset_from_csv(text, max_classes=10)
    assert ds.kind == "classification" and ds.y[0].tolist() == y
    assert ds.class_names == names and ds.n_classes == len(set(y))
    assert_same(dataset_from_csv(dataset_to_csv(ds), max_classes=10), ds)


def test_two_classes_read_as_before_whatever_max_classes():
    for text in ("1,2,0\n3,4,1\n", "1,2,-1\n3,4,1\n", "1,2,0.5\n3,4,0.25\n", "1,2,b\n3,4,a\n"):
        a, b = dataset_from_csv(text), dataset_from_csv(text, max_classes=10)
        assert_same(a, b)
        assert a.n_classes == b.n_classes == 2


def test_many_whole_numbers_stay_regression_targets():
    text = "".join(f"{i},{i},{i}\n" for i in range(11))
    assert dataset_from_csv(text, max_classes=10).kind == "regression"
    assert dataset_from_csv("1,2,0\n3,4,1\n5,6,2\n", kind="regression", max_classes=5).kind == (
        "regression"
    )
    assert dataset_from_csv("1,2,0.5\n3,4,0.25\n5,6,0.75\n", max_classes=3).kind == "regression"


@pytest.mark.parametrize(
    ("text", "max_classes", "message"),
    [
        (
            "1,2,a\n3,4,b\n5,6,c\n7,8,d\n",
            3,
            r"^line 4, column 3 \('label'\): a fourth class 'd'; expected at most 3 classes, "
            r"got \['a', 'b', 'c'\] before$",
        ),
        (
            "".join(f"{i},0,class {i}\n" for i in range(11)),
            10,
            r"^line 11, column 3 \('label'\): an eleventh class 'class 10'; expected at most 10 ",
        ),
        (
            "1,2,0\n3,4,1\n5,6,2\n7,8,3\n",
            3,
            r"^column 3 \('label'\): the labels \['0', '1', '2', '3'\] look like 4 classes; "
            r"expected 2 to 3 classes, or kind='regression' for targets$",
        ),
        (
            "1,2,a\n3,4,a\n",
            5,
            r"^column 3 \('label'\): every label is 'a'; expected 2 to 5 classes$",
        ),
        ("1,2,0\n3,4,1\n", 11, r"^max_classes must be an integer from 2 to 10, got 11$"),
        ("1,2,0\n3,4,1\n", 1, r"^max_classes must be an integer from 2 to 10, got 1$"),
        ("1,2,0\n3,4,1\n", 3.0, r"^max_classes must be an integer from 2 to 10, got 3\.0$"),
    ],
)
def test_class_count_errors_say_what_and_where(text, max_classes, message):
    with pytest.raises(ValueError, match=message):
        dataset_from_csv(text, max_classes=max_classes)


def test_a_long_extra_class_name_is_echoed_short():
    text = "1,2,a\n3,4,b\n5,6," + "c" * 5000 + "\n"
    with pytest.raises(ValueError) as e:
        dataset_from_csv(text)
    assert len(str(e.value)) < 200


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(0, 9),
            st.booleans(),
        ),
        min_size=2,
        max_size=40,
    ).filter(lambda rows: any(r[3] for r in rows))
)
def test_round_trip_is_exact_for_any_classes_that_all_occur(rows):
    labels = sorted({r[2] for r in rows})
    if len(labels) < 2:
        return
    index = {v: k for k, v in enumerate(labels)}  # classes 0 … K − 1, each with an example
    ds = Dataset(
        "csv",
        "classification",
        np.array([[r[0] for r in rows], [r[1] for r in rows]]),
        np.array([[float(index[r[2]]) for r in rows]]),
        np.array([r[3] for r in rows]),
        n_classes=len(labels),
    )
    assert_same(dataset_from_csv(dataset_to_csv(ds), max_classes=10), ds)
