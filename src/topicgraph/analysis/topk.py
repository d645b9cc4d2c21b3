"""Top k of each row of a sparse score matrix, fast: row blocks of bounded cost, a cheap lower bound of each
row's k-th best value for pruning, and an exact selection with ties broken by column."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BLOCK_BUDGET", "row_blocks", "csr_indptr", "kth_floor", "kth_largest", "top_k_rows"]

#: estimated non-zeros of one block of the score matrix; bounds memory (≈ 40 bytes each) and keeps blocks fast
BLOCK_BUDGET = 4_000_000


def row_blocks(cost: np.ndarray, budget: float) -> list[tuple[int, int]]:
    """Cut rows into contiguous blocks whose summed cost stays near ``budget`` (at least one row each)."""
    n = len(cost)
    if n == 0:
        return []
    edges = np.searchsorted(np.cumsum(cost), np.arange(budget, float(cost.sum()), budget), side="right")
    cuts = sorted({0, n, *[int(e) for e in edges if 0 < e < n]})
    return list(zip(cuts[:-1], cuts[1:]))


def csr_indptr(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """CSR row pointers of entries grouped by (sorted) ``rows``."""
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n_rows))))


#: the histogram of :func:`kth_floor`: at most this many bins per row, each at most 1/_HIST_PER_UNIT wide
_HIST_BINS = 1024
_HIST_PER_UNIT = 16


def kth_floor(rows: np.ndarray, data: np.ndarray, n_rows: int, k: int) -> np.ndarray | None:
    """A lower bound of the k-th largest value of each row (-inf for rows of fewer than k entries), at most one bin
    width (1/16 for scores below 64) under the exact value: the lower edge of the histogram bin that holds it. One
    ``bincount`` instead of a selection. ``None`` when some value is negative (then use :func:`kth_largest`)."""
    if len(data) == 0:
        return np.full(n_rows, -np.inf)
    top = float(data.max())
    if not math.isfinite(top) or float(data.min()) < 0:
        return None
    per_unit = min(float(_HIST_PER_UNIT), (_HIST_BINS - 1) / top) if top > 0 else 1.0
    n_bins = int(top * per_unit) + 1
    bins = (data * per_unit).astype(np.int64)  # floor, as data >= 0
    np.minimum(bins, n_bins - 1, out=bins)
    bins += rows * n_bins
    counts = np.bincount(bins, minlength=n_rows * n_bins).reshape(n_rows, n_bins)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    reached = from_top >= k
    edge = (n_bins - 1 - np.argmax(reached, axis=1)) / per_unit
    return np.where(reached[:, -1], edge, -np.inf)


def kth_largest(indptr: np.ndarray, data: np.ndarray, k: int) -> np.ndarray:
    """The k-th largest value of each CSR row (-inf for rows of k entries or fewer), by ``np.partition`` over
    rows padded to the same width; rows go in order of length so that each chunk pads little."""
    lengths = np.diff(indptr)
    kth = np.full(len(lengths), -np.inf)
    long_rows = np.flatnonzero(lengths > k)
    long_rows = long_rows[np.argsort(lengths[long_rows], kind="stable")]
    start = 0
    while start < len(long_rows):
        stop = start + 1
        while stop < len(long_rows) and (stop - start + 1) * lengths[long_rows[stop]] <= BLOCK_BUDGET:
            stop += 1
        rows = long_rows[start:stop]
        width = int(lengths[rows[-1]])
        sel_lengths = lengths[rows]
        sel_row = np.repeat(np.arange(len(rows)), sel_lengths)
        offsets = np.arange(int(sel_lengths.sum())) - np.repeat(np.cumsum(sel_lengths) - sel_lengths, sel_lengths)
        # negated, padded with +inf, and the k-th smallest taken: numpy's introselect slows down many times over
        # when the k-th largest sits near the end among many equal pads (rows here have few distinct scores)
        pad = np.full((len(rows), width), np.inf)
        pad[sel_row, offsets] = -data[np.repeat(indptr[rows], sel_lengths) + offsets]
        kth[rows] = -np.partition(pad, k - 1, axis=1)[:, k - 1]
        start = stop
    return kth


def top_k_rows(indptr: np.ndarray, col: np.ndarray, data: np.ndarray,
                k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` best entries of each row of a CSR matrix given by its arrays (columns within a row in any
    order): (row, col, rank from 1, score), ties to the smaller col."""
    empty = np.zeros(0, dtype=np.int64)
    if k <= 0 or len(data) == 0:
        return empty, empty, empty, np.zeros(0)
    lengths = np.diff(indptr)
    row = np.repeat(np.arange(len(lengths)), lengths)
    col = col.astype(np.int64, copy=False)
    if lengths.max() > k:
        keep = data >= kth_largest(indptr, data, k)[row]
        row, col, data = row[keep], col[keep], data[keep]
    order = np.lexsort((col, -data, row))
    row, col, data = row[order], col[order], data[order]
    first = np.searchsorted(row, row, side="left")
    rank = np.arange(len(row)) - first + 1
    keep = rank <= k
    return row[keep], col[keep], rank[keep], data[keep]
