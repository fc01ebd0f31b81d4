"""Preallocated buffers for the forward and backward passes, reused once nobody holds them.

Why: a step of a small network is a few dozen numpy calls, and a fresh array for every z^l, a^l
and δ^l of every call is a cost of its own; for wide layers (hundreds of KB per array) the memory
even comes fresh from the OS, page by page, every call. So a network keeps, per batch size N and
dtype, a *workspace*: every z^l, [a^l; 1], σ'(z^l), δ^l and the gradient vector of one pass, all
carved out of one block of memory, written with ``out=`` and used again by a later pass.

The rule that keeps this safe: what ``feedforward`` and ``backprop`` return is the caller's, for
as long as the caller wants it. A workspace is reused only when no array it handed out, and no
view of one (a row, a reshape), is referenced anywhere: the reference counts of its block and of
the handed-out arrays are back to what the workspace itself holds. Otherwise the pass uses a
second workspace, or past ``PER_KEY`` a fresh one-off, exactly as if nothing were reused. The
dicts of a result are new on every call; the arrays in them are the workspace's own and are
handed out again once released, so change them with ``reshape``/``view``/``astype`` (as numpy
recommends) rather than by setting their ``shape`` or ``dtype`` in place.

Layout, the lecture's Fig. 5 trick: a^l is stored with an extra last row of ones, [a^l; 1], so
that z^{l+1} = [w^{l+1} | b^{l+1}] [a^l; 1] is one matrix product (see ``network.py``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

import numpy as np

Array = np.ndarray

PER_KEY = 2  # workspaces kept per (pass, N, dtype): one in use by a held result, one to compute
MAX_BYTES = 64 * 2**20  # a network keeps at most this much; a larger workspace is a one-off
# Each buffer starts on a cache line: numpy's SIMD loops read 64 bytes at a time, and an array
# that starts mid-line makes every read straddle two lines (measured: 2-3× slower elementwise).
_ALIGN = 64


def param_blocks(flat: Array, sizes: Sequence[int]) -> dict[int, Array]:
    """[w^l | b^l], shape (K_l, K_{l−1} + 1), for l = 2 … L, as views into a flat vector laid out
    [w^2 | b^2], [w^3 | b^3], … (each block row by row)."""
    blocks, at = {}, 0
    for l in range(2, len(sizes) + 1):
        k, k_prev = sizes[l - 1], sizes[l - 2]
        blocks[l] = flat[at : at + k * (k_prev + 1)].reshape(k, k_prev + 1)
        at += k * (k_prev + 1)
    return blocks


def n_params(sizes: Sequence[int]) -> int:
    return sum(sizes[l - 1] * (sizes[l - 2] + 1) for l in range(2, len(sizes) + 1))


class Workspace:
    """The buffers of one pass over N examples in one dtype, every one a view into ``block``.

    Forward: ``A[l]`` = [a^l; 1] of shape (K_l + 1, N) for l = 1 … L − 1 (its last row is 1,
    written once) and ``a[l]`` its first K_l rows; ``a[L]``; ``z[l]`` for l = 2 … L.
    Backward too: ``prime[l]`` (room for σ'(z^l)), ``delta[l]``, ``AT[l]`` = [a^l; 1]^T, and the
    gradient vector ``grad`` with its blocks ``G[l]`` = [∂C/∂w^l | ∂C/∂b^l] and their views
    ``gw[l]``, ``gb[l]``. Float32 (the picture): ``theta`` and ``Wb[l]`` hold the weights, cast
    once per pass.

    a^2 … a^L lie one after the other, and so do z^2 … z^L and σ'(z^2) … σ'(z^L), in the same
    layout (z^l and σ'(z^l) get a spare row where a^l has its ones). So σ' of a run of layers
    that share σ is one elementwise call on ``runs``: (first l, z, a, σ') of those layers, flat.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        n: int,
        dtype: type,
        *,
        backward: bool,
        runs: Sequence[tuple[int, int]] = (),
    ) -> None:
        L, K = len(sizes), (0, *sizes)  # K[l] = K_l
        layers = range(2, L + 1)
        self.n, self.dtype, self.backward = n, np.dtype(dtype), backward
        own_params = self.dtype != np.float64
        # rows of layer l in the a, z and σ' regions: K_l, plus the ones row below hidden layers,
        # and where layer l starts in each region (on a cache line, see _ALIGN)
        rows, starts, region = {}, {}, 0
        for l in layers:
            rows[l], starts[l] = K[l] + (l < L), region
            region += _round_up(rows[l] * n, _ALIGN // self.dtype.itemsize)
        names = ["A1", "a", "z"] + (["prime"] if backward else [])
        sizes_of = {"A1": (K[1] + 1) * n, "a": region, "z": region, "prime": region}
        if backward:
            names += [f"delta{l}" for l in layers] + ["grad"]
            sizes_of |= {f"delta{l}": K[l] * n for l in layers} | {"grad": n_params(sizes)}
        if own_params:
            names.append("theta")
            sizes_of["theta"] = n_params(sizes)
        # zeros, not empty: the spare rows and the gaps between buffers hold 0, never garbage
        self.block, flat = _carve(self.dtype, [sizes_of[name] for name in names])
        buf = dict(zip(names, flat, strict=True))
        flat_of: dict[str, Array] = {}
        for name in ("a", "z", "prime"):
            if name in buf:  # the region as one (rows, N) array per layer
                region_flat = buf[name]
                buf[name] = {
                    l: region_flat[starts[l] : starts[l] + rows[l] * n].reshape(rows[l], n)
                    for l in layers
                }
                flat_of[name] = region_flat

        self.A = {1: buf["A1"].reshape(K[1] + 1, n)} | buf["a"]
        for l in range(1, L):
            self.A[l][-1] = 1.0  # the constant input 1 of Fig. 5, never overwritten
        self.a = {l: self.A[l][: K[l]] for l in range(1, L + 1)}
        del self.A[L]  # the output needs no ones row
        self.z = {l: v[: K[l]] for l, v in buf["z"].items()}
        self.theta = buf.get("theta")
        self.Wb = param_blocks(self.theta, sizes) if own_params else None
        if backward:
            self.prime = {l: v[: K[l]] for l, v in buf["prime"].items()}
            self.runs = [  # (first l, z, a and σ' of the run's layers as flat arrays)
                (
                    first,
                    *(
                        flat_of[name][starts[first] : starts[last] + rows[last] * n]
                        for name in ("z", "a", "prime")
                    ),
                )
                for first, last in runs
            ]
            self.delta = {l: buf[f"delta{l}"].reshape(K[l], n) for l in layers}
            self.AT = {l: A.T for l, A in self.A.items()}
            self.grad = buf["grad"]
            self.G = param_blocks(self.grad, sizes)
            self.gw = {l: g[:, :-1] for l, g in self.G.items()}
            self.gb = {l: g[:, -1:] for l, g in self.G.items()}
        # What a result hands out: z, a, then δ, ∂C/∂w, ∂C/∂b and the gradient vector, as array
        # objects of their own (views of the buffers above), made once and handed out again.
        parts: list[dict[int, Array]] = [self.z, self.a]
        if backward:
            parts += [self.delta, self.gw, self.gb]
        self._handout = [{l: v.view() for l, v in part.items()} for part in parts]
        self._handout_grad = self.grad.view() if backward else None
        self._handout_flat = tuple(v for part in self._handout for v in part.values())
        if backward:
            self._handout_flat += (self._handout_grad,)
        del flat, buf, flat_of, parts, region_flat
        self.busy = False
        # Every reference to the block and to what is handed out is now the workspace's own:
        # the counts when free.
        self._free_refs = self._refs()

    @property
    def nbytes(self) -> int:
        return self.block.nbytes

    def caller_views(self) -> list:
        """z^l, a^l (and δ^l, ∂C/∂w^l, ∂C/∂b^l, the gradient vector) for a result: a new dict
        per quantity, of the arrays handed out by this workspace."""
        out: list = [dict(part) for part in self._handout]
        if self.backward:
            out.append(self._handout_grad)
        return out

    def is_free(self) -> bool:
        """True if no pass is using this workspace and no array of an earlier result is alive."""
        return not self.busy and self._refs() == self._free_refs

    def _refs(self) -> tuple[int, int]:
        # A view taken of a handed-out array refers to the block; the array itself is counted
        # on its own (its references are the caller's, unless the count is back to baseline).
        return sys.getrefcount(self.block), sum(map(sys.getrefcount, self._handout_flat))


class Workspaces:
    """A network's workspaces, at most ``PER_KEY`` per (pass, N, dtype) and ``MAX_BYTES`` in all.

    ``take`` returns a free workspace marked busy; the caller sets ``busy = False`` when the pass
    is done (in a ``finally``). A lock makes take safe if two threads share a network.
    """

    def __init__(self, sizes: Sequence[int], runs: Sequence[tuple[int, int]] = ()) -> None:
        self.sizes, self.runs = tuple(sizes), tuple(runs)
        self._kept: dict[tuple[bool, int, object], list[Workspace]] = {}
        self._lock = threading.Lock()

    def take(self, n: int, dtype: type, *, backward: bool) -> Workspace:
        key = (backward, n, dtype)
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                kept = self._kept[key] = []
            for ws in kept:
                if ws.is_free():
                    ws.busy = True
                    return ws
            ws = Workspace(self.sizes, n, dtype, backward=backward, runs=self.runs)
            ws.busy = True
            if len(kept) < PER_KEY and ws.nbytes <= MAX_BYTES:
                kept.append(ws)
                self._evict(keep=key)
            return ws

    @property
    def nbytes(self) -> int:
        return sum(ws.nbytes for kept in self._kept.values() for ws in kept)

    def _evict(self, keep: tuple[bool, int, object]) -> None:
        """Forget the oldest keys (but ``keep``) until at most MAX_BYTES are kept. A forgotten
        workspace lives on as long as a result still uses it."""
        for key in list(self._kept):
            if self.nbytes <= MAX_BYTES:
                return
            if key != keep:
                del self._kept[key]


def aligned_zeros(size: int, dtype: type = np.float64) -> Array:
    """A zeroed 1-d array whose first element starts on a cache line (see _ALIGN)."""
    return _carve(np.dtype(dtype), [size])[1][0]


def _carve(dtype: np.dtype, sizes: list[int]) -> tuple[Array, list[Array]]:
    """One zeroed block of memory and a 1-d view of each size into it, each view starting on a
    cache line (numpy itself only promises 16 bytes)."""
    step = _ALIGN // dtype.itemsize
    starts = [0]
    for size in sizes:
        starts.append(starts[-1] + _round_up(size, step))
    block = np.zeros(starts[-1] + step, dtype=dtype)
    shift = (-block.ctypes.data % _ALIGN) // dtype.itemsize
    return block, [
        block[shift + at : shift + at + size] for at, size in zip(starts, sizes, strict=False)
    ]


def _round_up(size: int, step: int) -> int:
    return -(-size // step) * step
