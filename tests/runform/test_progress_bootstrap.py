"""The matched-cadence bootstrap takes every draw's median at once (``runlog._progress``): the same
interval as resampling block by block and calling ``np.median`` on each draw."""

from __future__ import annotations

import numpy as np
import pytest

from runform.runlog._progress import BOOTSTRAP_DRAWS, CONFIDENCE_PCT, _blocks, bootstrap_change


def one_draw_at_a_time(a, sa, b, sb, draws=BOOTSTRAP_DRAWS, seed=0):
    """The plain definition: for each draw, a's blocks then b's, concatenated, ``np.median`` of each."""
    rng = np.random.default_rng(seed)
    blocks_a, blocks_b = _blocks(sa), _blocks(sb)
    diffs = np.empty(draws)
    for i in range(draws):
        pa = np.concatenate([blocks_a[j] for j in rng.integers(0, len(blocks_a), len(blocks_a))])
        pb = np.concatenate([blocks_b[j] for j in rng.integers(0, len(blocks_b), len(blocks_b))])
        diffs[i] = np.median(b[pb]) - np.median(a[pa])
    tail = (100 - CONFIDENCE_PCT) / 2
    lo, hi = np.percentile(diffs, [tail, 100 - tail])
    return float(lo), float(hi)


@pytest.mark.parametrize("case", range(12))
def test_the_interval_is_the_one_of_resampling_draw_by_draw(case):
    rng = np.random.default_rng(case)
    na, nb = (int(n) for n in rng.integers(40, 1500, 2))
    decimals = int(rng.integers(0, 3))  # few decimals: many tied values, odd and even resample sizes
    a, b = np.round(rng.normal(10.0, 1.0, na), decimals), np.round(rng.normal(9.7, 1.0, nb), decimals)
    sa = np.sort(rng.integers(1, 1 + int(rng.integers(1, 6)), na))  # sessions of uneven length: short last blocks
    sb = np.sort(rng.integers(20, 20 + int(rng.integers(1, 6)), nb))
    seed = int(rng.integers(0, 1000))
    assert bootstrap_change(a, sa, b, sb, draws=150, seed=seed) == one_draw_at_a_time(a, sa, b, sb, draws=150, seed=seed)


def test_a_clear_drop_has_an_interval_below_zero():
    rng = np.random.default_rng(1)
    a, b = rng.normal(11.0, 0.5, 600), rng.normal(9.0, 0.5, 600)
    lo, hi = bootstrap_change(a, np.repeat([1, 2, 3], 200), b, np.repeat([7, 8, 9], 200))
    assert -2.3 < lo < hi < -1.7
