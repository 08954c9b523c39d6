"""Extremes, sums and medians over a sliding window along one axis: ``scipy.ndimage``'s
``maximum_filter1d``, ``minimum_filter1d``, ``uniform_filter1d`` (× size) and ``median_filter`` with
``mode="nearest"`` and origin 0, on NumPy, so that ``analyze()`` does not import ``scipy.ndimage`` (~0.1 s of
CPU on a cold start, benchmarks/RESULTS.md).

The window of output i covers inputs i - size // 2 ... i - size // 2 + size - 1, the signal extended by its
first and last values. For finite input (the analysis's signals, masks and counts): a NaN spreads to every
window that holds it (and, in a sum, to every later one), where SciPy's filters treat it otherwise. Extremes over up to ``SHIFTED_MAX_SIZE`` samples are size - 1 element-wise passes over
shifted views (the analysis's windows are 15-20 samples: 2-7x faster than the block method here, and than
SciPy's); longer ones by van Herk (1992) and Gil & Werman (1993): extremes from each block's start and to
each block's end (blocks of ``size``), three operations per sample whatever the window. van Herk M
(1992) Pattern Recognit Lett 13(7):517-521, doi:10.1016/0167-8655(92)90069-C; Gil J, Werman M (1993) IEEE
Trans Pattern Anal Mach Intell 15(5):504-507, doi:10.1109/34.211471. (tests/analysis/test_sliding.py
compares them with SciPy's.)
"""

from __future__ import annotations

import operator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: the longest window whose extremes are taken by passes over shifted views (one pass per sample of it)
SHIFTED_MAX_SIZE = 32


def sliding_max(x: np.ndarray, size: int, axis: int = -1) -> np.ndarray:
    """Maximum over the window of ``size`` samples around each sample along ``axis`` (same shape and dtype)."""
    return _sliding_extreme(np.maximum, x, size, axis)


def sliding_min(x: np.ndarray, size: int, axis: int = -1) -> np.ndarray:
    """Minimum over the window of ``size`` samples around each sample along ``axis`` (same shape and dtype)."""
    return _sliding_extreme(np.minimum, x, size, axis)


def sliding_sum(x: np.ndarray, size: int, axis: int = -1) -> np.ndarray:
    """Sum over the window of ``size`` samples around each sample along ``axis``, in the dtype ``np.cumsum``
    gives (int64 for bool and small integers, else the input's): exact for integers (a difference of
    cumulative sums)."""
    dtype = np.cumsum(np.zeros(1, dtype=np.asarray(x).dtype)).dtype
    p = _edge_extended(x, size, axis)
    if p is None:
        return np.array(x, dtype=dtype, copy=True)
    c = np.cumsum(p, axis=-1)
    c = np.concatenate((np.zeros_like(c[..., :1]), c), axis=-1)
    return np.moveaxis(c[..., size:] - c[..., :-size], -1, axis)


def sliding_median(x: np.ndarray, size: int, axis: int = -1) -> np.ndarray:
    """Median over the window of ``size`` samples around each sample along ``axis``: the window's element of
    rank size // 2 (for an even size the upper of the two middle values, as SciPy's ``median_filter``)."""
    p = _edge_extended(x, size, axis)
    if p is None:
        return np.array(x, copy=True)
    rank = size // 2
    return np.moveaxis(np.partition(sliding_window_view(p, size, axis=-1), rank, axis=-1)[..., rank], -1, axis)


def smooth_over_steps(x: np.ndarray, size: int) -> np.ndarray:
    """A per-step series (1-D) smoothed by a sliding median of ``size`` steps, its NaN steps first set to the
    median of the finite ones (0 where none is finite)."""
    fill = np.nanmedian(x) if np.isfinite(x).any() else 0.0
    return sliding_median(np.where(np.isfinite(x), x, fill), size)


def _sliding_extreme(op: np.ufunc, x: np.ndarray, size: int, axis: int) -> np.ndarray:
    p = _edge_extended(x, size, axis)
    if p is None:
        return np.array(x, copy=True)
    n = p.shape[-1] - size + 1
    if size <= SHIFTED_MAX_SIZE:
        out = p[..., :n].copy()
        for j in range(1, size):
            op(out, p[..., j : j + n], out=out)
        return np.moveaxis(out, -1, axis)
    blocks = -(-p.shape[-1] // size)
    fill = blocks * size - p.shape[-1]  # never read by an output: a window ends at or before p's last sample
    if fill:
        p = np.concatenate((p, np.repeat(p[..., -1:], fill, axis=-1)), axis=-1)
    b = p.reshape(p.shape[:-1] + (blocks, size))
    from_start = op.accumulate(b, axis=-1).reshape(p.shape)
    to_end = op.accumulate(b[..., ::-1], axis=-1)[..., ::-1].reshape(p.shape)
    # the window starting at j spans the end of j's block and the start of the next, up to j + size - 1
    return np.moveaxis(op(to_end[..., :n], from_start[..., size - 1 : size - 1 + n]), -1, axis)


def _edge_extended(x: np.ndarray, size: int, axis: int) -> np.ndarray | None:
    """``x`` with ``axis`` moved last and extended by size // 2 copies of its first value before and the rest
    of ``size - 1`` copies of its last after; None where there is nothing to filter (size 1 or no samples)."""
    size = operator.index(size)  # a TypeError for 2.0 or "2"
    if size < 1:
        raise ValueError(f"window size must be a positive integer (got {size})")
    x = np.moveaxis(np.asarray(x), axis, -1)
    if size == 1 or x.shape[-1] == 0:
        return None
    before, after = size // 2, size - 1 - size // 2
    return np.concatenate((np.repeat(x[..., :1], before, axis=-1), x, np.repeat(x[..., -1:], after, axis=-1)),
                          axis=-1)
