"""Data sets to and from CSV text: exact export, tolerant but strict import.

File layout: one example a row, columns ``x1[, x2], label|target[, split]``. The coordinates come
first and are read by position; a header row is optional (it is one when its first field is not a
number) and only names the columns in error messages. The separator is a comma, a semicolon or a
tab (with ``;`` or tab a decimal comma is accepted). The optional last column says "train" or
"test"; without it the split is drawn as make_dataset draws it.

Labels: 0/1, −1/+1 (−1 → class 0), any two numbers (sorted → 0/1) or exactly two names (sorted →
0/1, kept in ``Dataset.class_names``). Many distinct numbers are regression targets. Every error is
a ValueError that says what is wrong and where: "line 7, column 2 ('x2'): 'abc' is not a number".

More than two classes, when the caller allows them with ``max_classes=K`` (at most
``MAX_CLASSES``, 10; the default, 2, is what a one-output network can learn): names (sorted →
0 … K − 1, kept in ``class_names``) or whole numbers. Whole numbers 0 … K − 1 are the classes
themselves; any other whole numbers (1, 2, 3 or 10, 20, 30) are sorted → 0 … K − 1 and kept as
names ("1", "2", "3"), so they read back the same. Up to ``max_classes`` distinct whole numbers
are classes, not regression targets (``kind="regression"`` says otherwise); more names than
``max_classes`` are refused at the first extra one. A round trip through ``dataset_to_csv`` is
exact when every class has at least one example (a CSV file cannot say a class had none).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re

import numpy as np

from playground.datasets import (
    KINDS,
    MAX_CLASSES,
    MAX_POINTS,
    Dataset,
    check_split_args,
    split_mask,
)

MAX_BYTES = 1_000_000
_NUMBER = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|nan|inf|infinity)", re.IGNORECASE)
_SPLITS = {"train": True, "test": False}
_MAX_WHOLE_CLASSES = 10  # 3 to 10 distinct whole-number labels look like classes, not targets


def dataset_to_csv(ds: Dataset) -> str:
    """Header ``x1[,x2],label|target,split``; floats as repr, so reading it back is exact."""
    target = "label" if ds.kind == "classification" else "target"
    rows = [[f"x{i + 1}" for i in range(ds.d)] + [target, "split"]]
    for k in range(ds.n):
        if ds.kind == "regression":
            label = repr(float(ds.y[0, k]))
        elif ds.class_names is not None:
            label = ds.class_names[int(ds.y[0, k])]
        else:
            label = str(int(ds.y[0, k]))
        split = "train" if ds.train[k] else "test"
        rows.append([repr(float(v)) for v in ds.x[:, k]] + [label, split])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def dataset_from_csv(
    data: str | bytes,
    *,
    kind: str | None = None,
    max_rows: int = MAX_POINTS,
    max_bytes: int = MAX_BYTES,
    train_fraction: float = 0.5,
    seed: int = 0,
    max_classes: int = 2,
) -> Dataset:
    """Read a data set named "csv"; ``kind=None`` decides classification or regression, and a
    classification set may have 2 to ``max_classes`` classes."""
    if not isinstance(data, str | bytes):
        raise TypeError(f"data must be str or bytes, got {type(data).__name__}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected None (auto) or one of {list(KINDS)}")
    if (
        not (isinstance(max_classes, int) and not isinstance(max_classes, bool))
        or not 2 <= max_classes <= MAX_CLASSES
    ):
        raise ValueError(
            f"max_classes must be an integer from 2 to {MAX_CLASSES}, got {max_classes!r:.20}"
        )
    for arg, value in (("max_rows", max_rows), ("max_bytes", max_bytes)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{arg} must be a positive integer, got {value!r}")
    check_split_args(train_fraction=train_fraction, seed=seed)
    text = _decode(data, max_bytes)
    sep = _separator(text)
    header, rows = _read_rows(text, sep, max_rows)
    ncols = len(header or rows[0][1])
    for line, fields in rows:
        if len(fields) != ncols:
            first = "the header" if header else f"line {rows[0][0]}"
            raise ValueError(
                f"line {line}: expected {ncols} columns like {first}, got {len(fields)}"
            )
    has_split = ncols >= 3 and (
        (header is not None and header[-1].lower() in ("split", "set", "subset"))
        or any(fields[-1].lower() in _SPLITS for _, fields in rows)
    )
    d = ncols - 1 - has_split
    if d not in (1, 2):
        raise ValueError(
            f"line {rows[0][0]}: expected 2 to 4 columns (x1, optional x2, label or target, "
            f"optional split), got {ncols}"
        )
    names = header or [*("x1", "x2")[:d], "target" if kind == "regression" else "label", "split"]
    if kind is None and header is not None and header[d].lower() == "target":
        kind = "regression"  # as dataset_to_csv writes a regression set

    def where(line: int | None, col: int) -> str:
        column = f"column {col + 1} ({names[col]!r})"
        return column if line is None else f"line {line}, {column}"

    x = np.empty((d, len(rows)))
    for k, (line, fields) in enumerate(rows):
        for i in range(d):
            x[i, k] = _finite(fields[i], sep, where(line, i))
    cells = [(line, fields[d]) for line, fields in rows]
    y, kind, class_names = _labels(cells, kind, sep, lambda line: where(line, d), max_classes)
    train = split_mask(len(rows), train_fraction=train_fraction, seed=seed)
    if has_split:
        for k, (line, fields) in enumerate(rows):
            if fields[-1].lower() not in _SPLITS:
                raise ValueError(f"{where(line, d + 1)}: {fields[-1]!r} is not 'train' or 'test'")
            train[k] = _SPLITS[fields[-1].lower()]
        if not train.any():
            raise ValueError(f"{where(None, d + 1)}: no row says 'train'; expected at least one")
    k = int(y.max()) + 1 if kind == "classification" else None
    return Dataset("csv", kind, x, y[np.newaxis, :], train, class_names, k)


def _decode(data: str | bytes, max_bytes: int) -> str:
    size = len(data)  # a str has at least as many bytes as characters
    if isinstance(data, str) and size <= max_bytes:
        size = len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ValueError(f"the file has {size:,} bytes; expected at most {max_bytes:,}")
    if isinstance(data, bytes):
        if b"\0" in data:
            raise ValueError("the file contains NUL bytes; expected CSV text, got a binary file")
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        try:
            data = data[bom:].decode("utf-8")
        except UnicodeDecodeError as e:
            at = bom + e.start
            line = data.count(b"\n", 0, at) + 1
            raise ValueError(
                f"line {line}: byte {at + 1} of the file is not UTF-8; "
                "expected CSV text saved as UTF-8"
            ) from None
    return data.removeprefix("\ufeff")


def _separator(text: str) -> str:
    """Tab or semicolon if the first non-blank line has one, else comma."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if "\t" in first else ";" if ";" in first else ","


def _number(text: str, sep: str) -> float | None:
    """The value written in ``text`` (nan and inf included), None if it is not a number."""
    if sep != ",":
        text = text.replace(",", ".")  # a decimal comma
    return float(text) if _NUMBER.fullmatch(text) else None


def _finite(text: str, sep: str, where: str) -> float:
    v = _number(text, sep)
    if v is None:
        raise ValueError(f"{where}: {text!r} is not a number" if text else f"{where}: empty value")
    if not math.isfinite(v):
        raise ValueError(f"{where}: {text!r} is not a finite number")
    return v


def _read_rows(text: str, sep: str, max_rows: int):
    """(header or None, [(line number, fields)]): non-blank rows, trailing empty fields dropped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header, rows = None, []
    try:
        for fields in reader:
            fields = [f.strip() for f in fields]
            while fields and not fields[-1]:
                fields.pop()
            if not fields:
                continue
            if header is None and not rows and fields[0] and _number(fields[0], sep) is None:
                header = fields
                continue
            if len(rows) == max_rows:
                raise ValueError(
                    f"line {reader.line_num}: more than {max_rows:,} data rows; "
                    f"expected at most {max_rows:,}"
                )
            rows.append((reader.line_num, fields))
    except csv.Error as e:
        raise ValueError(f"line {reader.line_num}: not readable as CSV ({e})") from None
    if header is None and not rows:
        raise ValueError("the file is empty; expected rows like 'x1,x2,label'")
    if len(rows) < 2:
        raise ValueError(f"the file has {len(rows)} data row(s); expected at least 2")
    return header, rows


def _labels(cells, kind, sep, at, max_classes):
    """(y, kind, class_names) from the label column's (line, text) cells; y is 0 … K − 1 or
    targets."""
    values = []
    for line, text in cells:
        v = _number(text, sep)
        if not text or (v is not None and not math.isfinite(v)):
            _finite(text, sep, at(line))  # raises the message for an empty or infinite value
        values.append(v)
    numeric = None not in values
    distinct = sorted(set(values)) if numeric else []
    whole = all(map(float.is_integer, distinct))
    expected = "two classes" if max_classes == 2 else f"2 to {max_classes} classes"
    if kind == "regression" or (
        kind is None and len(distinct) > 2 and not (whole and len(distinct) <= max_classes)
    ):
        for (line, text), v in zip(cells, values, strict=True):
            if v is None:
                raise ValueError(f"{at(line)}: {text!r} is not a number; targets must be numbers")
        if kind is None and len(distinct) <= _MAX_WHOLE_CLASSES and whole:
            raise ValueError(
                f"{at(None)}: the labels {[_name(v) for v in distinct]} look like "
                f"{len(distinct)} classes; expected {expected}, or kind='regression' for targets"
            )
        return np.array(values), "regression", None
    keys = values if numeric else [text for _, text in cells]
    first_text: dict = {}  # class key -> its text where it first appears
    for (line, text), key in zip(cells, keys, strict=True):
        if key not in first_text:
            if len(first_text) == max_classes:
                most = "two classes" if max_classes == 2 else f"at most {max_classes} classes"
                before = [t if len(t) <= 40 else t[:40] + "…" for t in first_text.values()]
                raise ValueError(
                    f"{at(line)}: {_ORDINALS[max_classes + 1]} class {text!r:.60}; "
                    f"expected {most}, got {before} before"
                )
            first_text[key] = text
    if len(first_text) < 2:
        raise ValueError(f"{at(None)}: every label is {cells[0][1]!r:.60}; expected {expected}")
    order = sorted(first_text)
    index = {key: float(k) for k, key in enumerate(order)}
    y = np.array([index[key] for key in keys])
    if not numeric:
        return y, "classification", tuple(order)
    if order == list(range(len(order))) or order == [-1.0, 1.0]:
        return y, "classification", None  # the classes themselves (−1/+1: TensorFlow Playground's)
    return y, "classification", tuple(_name(v) for v in order)


# "a third class", … "an eleventh class": the first class past max_classes (2 … 10)
_ORDINALS = ("", "", "", "a third", "a fourth", "a fifth", "a sixth", "a seventh", "an eighth",
             "a ninth", "a tenth", "an eleventh")  # fmt: skip


def _name(v: float) -> str:
    """A number as a short class name that reads back as the same number."""
    return f"{v:g}" if float(f"{v:g}") == v else repr(v)
