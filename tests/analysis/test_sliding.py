"""``analysis._sliding`` gives ``scipy.ndimage``'s nearest-mode 1-D max, min and uniform filters (SciPy is the
reference here; the analysis itself does not import ``scipy.ndimage``)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from runform.analysis._sliding import sliding_max, sliding_median, sliding_min, sliding_sum, smooth_over_steps


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 16, 32, 33, 250])  # shifted views up to 32, blocks above
@pytest.mark.parametrize("axis", [0, 1])
def test_extremes_equal_scipy(size, axis):
    rng = np.random.default_rng(size * 10 + axis)
    x = rng.normal(size=(41, 57))
    kw = dict(mode="nearest", axis=axis)
    np.testing.assert_array_equal(sliding_max(x, size, axis), ndimage.maximum_filter1d(x, size, **kw))
    np.testing.assert_array_equal(sliding_min(x, size, axis), ndimage.minimum_filter1d(x, size, **kw))


@pytest.mark.parametrize("size", [2, 5, 9])
def test_extremes_keep_the_dtype_of_masks(size):
    rng = np.random.default_rng(size)
    above = (rng.random((12, 30)) > 0.6).astype(np.uint8)
    got = sliding_min(sliding_max(above, size, 1), size, 1)
    ref = ndimage.minimum_filter1d(ndimage.maximum_filter1d(above, size, axis=1, mode="nearest"), size, axis=1,
                                   mode="nearest")
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, ref)


@pytest.mark.parametrize("size", [1, 2, 3, 6, 11, 40])
def test_sums_equal_scipy_uniform_filter_times_size(size):
    rng = np.random.default_rng(size)
    labels = rng.integers(0, 3, 97)
    onehot = np.eye(3, dtype=np.int64)[labels]
    got = sliding_sum(onehot, size, axis=0)
    assert got.dtype == np.int64
    ref = ndimage.uniform_filter1d(onehot.astype(float), size, axis=0, mode="nearest") * size
    np.testing.assert_allclose(got, ref, atol=1e-9)


def test_windows_longer_than_the_signal_and_empty_signals():
    x = np.array([3.0, -1.0, 2.0])
    np.testing.assert_array_equal(sliding_max(x, 9), ndimage.maximum_filter1d(x, 9, mode="nearest"))
    np.testing.assert_array_equal(sliding_sum(x, 9), [20.0, 19.0, 18.0])  # 3 x5 -1 2 x3; 3 x4 -1 2 x4; 3 x3 -1 2 x5
    assert sliding_min(np.empty(0), 4).shape == (0,)
    with pytest.raises(ValueError):
        sliding_max(x, 0)
    with pytest.raises(TypeError):
        sliding_max(x, 2.0)


@pytest.mark.parametrize("size", [1, 3])
def test_sums_of_masks_are_int64_at_every_size(size):
    mask = np.array([True, False, True, True])
    assert sliding_sum(mask, size).dtype == np.int64


@pytest.mark.parametrize("size", [1, 2, 4, 5, 9])
def test_medians_equal_scipy_median_filter(size):
    rng = np.random.default_rng(size)
    x = np.round(rng.normal(size=203), 1)  # ties among the values too
    np.testing.assert_array_equal(sliding_median(x, size), ndimage.median_filter(x, size=size, mode="nearest"))


def test_smoothing_over_steps_fills_gaps_with_the_median_first():
    x = np.array([1.0, np.nan, 3.0, 10.0, 2.0, np.nan, 4.0])
    filled = np.where(np.isfinite(x), x, 3.0)  # the median of 1, 3, 10, 2, 4
    np.testing.assert_array_equal(smooth_over_steps(x, 3), ndimage.median_filter(filled, size=3, mode="nearest"))
    np.testing.assert_array_equal(smooth_over_steps(np.full(4, np.nan), 3), np.zeros(4))
