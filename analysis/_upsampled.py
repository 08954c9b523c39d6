"""A band-limited upsampled signal (``_filters.upsample`` of a whole segment or bout) made one span at a
time, so that stage 3 never holds the whole upsampled copy (at 100 Hz: 2n samples per signal).

``upsample`` is ``resample_poly(x, factor, 1, padtype="line")``: a FIR of ``2 × 10 × factor + 1`` taps at
the output rate, so each output sample depends on the ten input samples either side of it only, and on
the ends' "line" extension of the whole input (``x[0] − j s`` before, ``x[n − 1] + j s`` after, with the
end-to-end slope ``s = (x[n − 1] − x[0]) / (n − 1)`` of the *whole* input; SciPy's ``upfirdn`` mode
"line"). ``Upsampled.span`` upsamples the inputs around a span, ``MARGIN`` of them either side, with that
whole-input extension written out where the span meets an end: its samples equal the whole call's
(bit for bit with SciPy's ``upfirdn``, tests/analysis/test_upsampled.py)."""

from __future__ import annotations

import numpy as np

from ._filters import upsample

#: input samples read beyond a span on either side: more than ``upsample``'s FIR half length (10 input samples)
MARGIN = 12
#: output samples added to a requested span on either side (linear interpolation and first differences
#: read the sample after a fractional index; the impact transient's parabola one more)
PAD = 4


class Upsampled:
    """``upsample(source, factor)``, of ``length`` samples, made on request one span at a time."""

    def __init__(self, source: np.ndarray, factor: int):
        self.source, self.factor = source, max(1, factor)
        n = source.shape[0]
        self.length = (n - 1) * self.factor + 1 if n else 0
        self._slope = (source[n - 1] - source[0]) / (n - 1) if n >= 2 else 0.0

    def span(self, first: float, last: float) -> tuple[np.ndarray, int]:
        """The samples of the whole upsampled signal from ``floor(first) − PAD`` to ``ceil(last) + PAD``
        (fractional output indices; clipped to the signal) and the index of the first of them. For factor 1
        a view of ``source``: all of it (origin 0, so the measures shift nothing) when it is contiguous."""
        u0 = min(self.length, max(0, int(np.floor(first)) - PAD))
        u1 = max(u0, min(self.length, int(np.ceil(last)) + PAD + 1))
        x, f = self.source, self.factor
        if f == 1:
            return (x, 0) if x.flags.c_contiguous else (x[u0:u1], u0)
        n = x.shape[0]
        if n < 2 or u1 == u0:
            return upsample(x, f)[u0:u1], u0
        a, b = u0 // f - MARGIN, (u1 - 1) // f + 1 + MARGIN  # the input samples [a, b) read, extended past the ends
        parts = [x[max(a, 0) : min(b, n)]]
        if a < 0:
            parts.insert(0, x[0] + np.arange(a, 0) * self._slope)
        if b > n:
            parts.append(x[n - 1] + np.arange(1, b - n + 1) * self._slope)
        local = np.concatenate(parts) if len(parts) > 1 else parts[0]
        return upsample(local, f)[u0 - a * f : u1 - a * f], u0

    def whole(self) -> np.ndarray:
        """All of it at once (for short signals and tests)."""
        return self.span(0, self.length)[0]
