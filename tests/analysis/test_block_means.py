"""Block means and their interpolation back to the full rate (the gravity frame's decimation)."""

import numpy as np

from runform.analysis._filters import block_means, from_block_means


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
