"""The decimated low-pass used for the gravity frame agrees with the full-rate filter."""

import numpy as np

from analysis._filters import block_means, from_block_means, lowpass, slow_lowpass


def test_block_means_and_back_reproduce_a_straight_line_between_the_first_and_last_block_centre():
    n, d = 1003, 4
    x = np.column_stack([0.5 * np.arange(n), -2.0 * np.arange(n)])
    means = block_means(x, d)
    y = from_block_means(means, d, n)
    centre_first, centre_last = 0.5 * (d - 1), (n // d - 1) * d + 0.5 * (d - 1)
    inside = (np.arange(n) >= centre_first) & (np.arange(n) <= centre_last)
    np.testing.assert_allclose(y[inside], x[inside], atol=1e-9)
    # held constant beyond the last centre (the trailing partial block is dropped)
    after = np.arange(n) > centre_last
    assert after.sum() == n - 998
    np.testing.assert_allclose(y[after], np.broadcast_to(means[-1], (int(after.sum()), 2)))


def test_slow_lowpass_matches_lowpass_away_from_the_edges():
    fs, n = 200.0, 120_000
    t = np.arange(n) / fs
    rng = np.random.default_rng(3)
    slow = np.column_stack([np.sin(2 * np.pi * 0.01 * t + k) for k in range(3)])
    gait = 0.8 * np.sin(2 * np.pi * 2.8 * t)[:, None] + 0.1 * rng.standard_normal((n, 3))
    for fc, order in ((0.25, 2), (0.053, 1)):
        full = lowpass(slow + gait, fs, fc, order)
        fast = slow_lowpass(slow + gait, fs, fc, order)
        interior = slice(int(60 * fs), n - int(60 * fs))
        assert np.max(np.abs(fast[interior] - full[interior])) < 1e-3


def test_slow_lowpass_is_the_plain_filter_at_low_rates():
    x = np.random.default_rng(0).standard_normal((500, 3))
    np.testing.assert_array_equal(slow_lowpass(x, 50.0, 0.25, 2), lowpass(x, 50.0, 0.25, 2))
