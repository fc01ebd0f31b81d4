"""A bounded record of a training run: one row of numbers per recorded step.

The buffer never grows past ``capacity`` rows. When it fills, every other row is dropped and
from then on only every 2nd (then 4th, 8th, …) step is recorded, so a run of any length is kept
whole at a coarser resolution instead of losing its beginning. Step 0 (the initial weights) is
always kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class History:
    def __init__(self, columns: Sequence[str], *, capacity: int = 2000) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be an even number ≥ 4, got {capacity}")
        if "step" not in columns:
            raise ValueError(f"columns must include 'step', got {list(columns)}")
        self.columns = tuple(columns)
        self.capacity = capacity
        self._index = {c: i for i, c in enumerate(self.columns)}
        self._rows = np.full((capacity, len(self.columns)), np.nan)
        self._n = 0
        self.stride = 1

    def wants(self, step: int) -> bool:
        """True if a row for ``step`` would be kept at the current resolution."""
        return step % self.stride == 0

    def record(self, row: dict[str, float]) -> None:
        """Add one row (missing columns stay nan) if its step is on the current stride."""
        if not self.wants(int(row["step"])):
            return
        if self._n == self.capacity:
            # keep rows 0, 2, 4, …: steps that are multiples of the doubled stride
            kept = self._rows[0 : self.capacity : 2].copy()
            self._rows[:] = np.nan
            self._rows[: len(kept)] = kept
            self._n = len(kept)
            self.stride *= 2
            if not self.wants(int(row["step"])):
                return
        out = self._rows[self._n]
        for name, value in row.items():
            out[self._index[name]] = value
        self._n += 1

    def put(self, row: dict[str, float]) -> None:
        """``record`` the row, or overwrite the last row if it is of the same step: the weights of
        that step changed without an update (an edited weight, a new regularisation)."""
        n, step = self._n, int(row["step"])
        if not (n and self._rows[n - 1, self._index["step"]] == step):
            self.record(row)
            return
        out = self._rows[n - 1]
        out[:] = np.nan
        for name, value in row.items():
            out[self._index[name]] = value

    def __len__(self) -> int:
        return self._n

    def column(self, name: str) -> np.ndarray:
        """A read-only view of one column, oldest row first."""
        try:
            view = self._rows[: self._n, self._index[name]]
        except KeyError:
            raise ValueError(f"unknown column {name!r}; expected one of {self.columns}") from None
        view = view.view()
        view.flags.writeable = False
        return view

    def last(self) -> dict[str, float]:
        if not self._n:
            return {}
        return dict(zip(self.columns, self._rows[self._n - 1].tolist(), strict=True))

    def as_dict(self) -> dict[str, np.ndarray]:
        """Every column as a copy (for a table or a CSV export)."""
        return {c: self._rows[: self._n, i].copy() for c, i in self._index.items()}

    def clear(self) -> None:
        self._rows[:] = np.nan
        self._n = 0
        self.stride = 1
