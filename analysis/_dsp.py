"""The ``scipy.signal`` and ``scipy.fft`` functions the analysis uses, written on NumPy and BLAS so that
``analyze()`` imports no SciPy (``scipy.signal`` alone cost ~0.75 s of CPU on a cold start with SciPy 1.17,
the rest of SciPy another ~0.3 s: benchmarks/RESULTS.md).

Each reproduces SciPy's definition (SciPy stays the reference: tests/analysis/test_dsp.py compares them):

* ``butter_lowpass_sos`` = ``scipy.signal.butter(order, fc, btype="low", fs=fs, output="sos")``: the analog
  Butterworth prototype, pre-warped bilinear transform, second-order sections ordered as ``zpk2sos``
  ("nearest" pairing: the poles closest to the unit circle last). Butterworth S (1930), Wireless Engineer 7.
* ``sosfiltfilt`` (padtype "odd"/"even", explicit padlen): each second-order section is a lower-triangular
  banded Toeplitz system solved by BLAS ``dtbsv`` (forward substitution, as LAPACK's ``dtbtrs``).
* ``upsample_poly`` = ``resample_poly(x, up, 1, axis=0, padtype="line")``: Kaiser-windowed FIR in
  polyphase form, a matrix product (windows × phases) per block of samples.
* ``next_fast_len(n)`` = ``scipy.fft.next_fast_len(n, real=True)``: the least 5-smooth length ≥ n.
* ``find_peaks(x, distance, prominence)``: SciPy's local maxima, distance selection and prominences
  (wlen=None), vectorised; the prominences with sparse tables over the signal's alternating extrema.
  Du P, Kibbe WA, Lin SM (2006) is not used; the definitions are SciPy's ``_peak_finding``.
"""

from __future__ import annotations

import numpy as np

from ._blas import unit_lower_band_solve

#: rows per banded solve: bounds the band matrix and right-hand-side buffers (~0.4 MB for 3 columns)
SOLVE_BLOCK_ROWS = 16384
#: input samples per matrix product in ``upsample_poly`` (a 0.7 MB block of 21-sample windows)
UPSAMPLE_ROWS = 4096


# --------------------------------------------------------------------------------------------- design
def butter_lowpass_sos(order: int, fc: float, fs: float) -> np.ndarray:
    """Second-order sections (n, 6) of a digital Butterworth low-pass of ``order`` with corner ``fc`` (Hz) at
    sampling rate ``fs`` (Hz), as ``scipy.signal.butter(order, fc, btype="low", fs=fs, output="sos")``."""
    if order < 1 or int(order) != order:
        raise ValueError("filter order must be a positive integer")
    wn = fc / (fs / 2)
    if not 0 < wn < 1:
        raise ValueError(f"corner must be 0 < fc < fs/2 (fc={fc}, fs={fs})")
    warped = 2 * 2.0 * np.tan(np.pi * wn / 2.0)  # pre-warp, SciPy's normalised fs = 2
    m = np.arange(-order + 1, order, 2, dtype=np.float64)
    p = warped * -np.exp(1j * np.pi * m / (2 * order))  # the analog prototype's poles, scaled to the corner
    fs2 = 4.0
    p_z = (fs2 + p) / (fs2 - p)  # bilinear transform; every zero goes to z = -1
    k = warped**order * np.real(1.0 / np.prod(fs2 - p))
    tol = 100 * np.finfo(np.float64).eps
    is_real = np.abs(p_z.imag) <= tol * np.abs(p_z)
    upper = p_z[~is_real & (p_z.imag > 0)]
    lower = p_z[~is_real & (p_z.imag < 0)]
    upper = upper[np.lexsort((np.abs(upper.imag), upper.real))]
    lower = lower[np.lexsort((np.abs(lower.imag), lower.real))]
    pairs = (upper + lower.conj()) / 2  # SciPy's _cplxreal averages each conjugate pair
    poles = list(pairs) + list(np.sort(p_z[is_real].real))
    zeros = [-1.0] * order
    if order % 2:  # zpk2sos gives an odd filter a pole and a zero at the origin
        poles.append(0.0)
        zeros.append(0.0)
    sos = np.zeros(((order + 1) // 2, 6))
    for i in range(sos.shape[0] - 1, -1, -1):  # the pole closest to the unit circle goes last
        p1 = poles.pop(int(np.argmin([abs(1 - abs(q)) for q in poles])))
        if np.iscomplexobj(p1) and p1.imag != 0:
            a = np.poly([p1, p1.conjugate()]).real
        else:
            reals = [j for j, q in enumerate(poles) if not (np.iscomplexobj(q) and q.imag != 0)]
            p2 = poles.pop(reals[int(np.argmin([abs(1 - abs(poles[j])) for j in reals]))])
            a = np.poly([p1, p2]).real
        z1 = zeros.pop(int(np.argsort([abs(z - p1) for z in zeros])[0]))
        z2 = zeros.pop(int(np.argsort([abs(z - p1) for z in zeros])[0]))
        sos[i] = np.concatenate((np.poly([z1, z2]), a))
    sos[0, :3] *= k
    return sos


def sosfilt_zi(sos: np.ndarray) -> np.ndarray:
    """Steady-state initial states (n_sections, 2) of the direct-form-II-transposed cascade for a unit step
    (``scipy.signal.sosfilt_zi``)."""
    zi = np.empty((sos.shape[0], 2))
    scale = 1.0
    for s, (b0, b1, b2, a0, a1, a2) in enumerate(sos):
        b = np.array([b0, b1, b2]) / a0
        a = np.array([a0, a1, a2]) / a0
        i_minus_a = np.array([[1.0 + a[1], -1.0], [a[2], 1.0]])  # eye(2) - companion(a).T
        zi[s] = scale * np.linalg.solve(i_minus_a, b[1:] - a[1:] * b[0])
        scale *= (b0 + b1 + b2) / (a0 + a1 + a2)
    return zi


# --------------------------------------------------------------------------------------------- filtering
def sosfiltfilt(sos: np.ndarray, x: np.ndarray, padlen: int, padtype: str = "odd") -> np.ndarray:
    """Zero-phase filtering along axis 0 with second-order sections, as ``scipy.signal.sosfiltfilt(sos, x,
    axis=0, padtype=padtype, padlen=padlen)``: ``padlen`` samples of odd or even extension at each end, a
    forward pass started from ``sosfilt_zi`` × the first sample, a backward pass from × the last output."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if padtype not in ("odd", "even"):
        raise ValueError(f"padtype must be 'odd' or 'even', not {padtype!r}")
    if padlen < 0 or n <= padlen:
        raise ValueError(f"the signal ({n} samples) must be longer than padlen ({padlen})")
    channels = x.reshape(n, -1).T  # (c, n): each channel contiguous in the work array below
    work = np.empty((channels.shape[0], n + 2 * padlen))
    work[:, padlen : padlen + n] = channels
    if padlen > 0:
        left, right = channels[:, padlen:0:-1], channels[:, -2 : -(padlen + 2) : -1]
        if padtype == "odd":
            left, right = 2 * channels[:, :1] - left, 2 * channels[:, -1:] - right
        work[:, :padlen], work[:, padlen + n :] = left, right
    zi = sosfilt_zi(sos)
    _sosfilt_inplace(sos, work, zi[:, :, None] * work[:, 0])
    backward = work[:, ::-1]
    _sosfilt_inplace(sos, backward, zi[:, :, None] * backward[:, 0])
    out = work[:, padlen : padlen + n]
    return out[0] if x.ndim == 1 else np.ascontiguousarray(out.T).reshape(x.shape)


def _sosfilt_inplace(sos: np.ndarray, y: np.ndarray, zi: np.ndarray) -> None:
    """Run the cascade over each row of ``y`` (c channels × m samples) in place, section ``s`` starting from
    state ``zi[s]`` (2, c).

    A section y[n] + a1 y[n-1] + a2 y[n-2] = b0 x[n] + b1 x[n-1] + b2 x[n-2] is a unit lower-triangular
    banded system (bandwidth 2) in y; its right-hand side is the FIR part, with the direct-form-II-transposed
    state folded into the first two rows (y0 = b0 x0 + z0, y1 + a1 y0 = b0 x1 + b1 x0 + z1). BLAS ``dtbsv``
    solves it by forward substitution (``_blas.unit_lower_band_solve``), a channel at a time, in blocks of
    ``SOLVE_BLOCK_ROWS`` samples that carry the last two inputs and outputs across. Channel-major buffers
    keep every step on contiguous memory."""
    c, m = y.shape
    if m == 0:
        return
    rows = min(m, SOLVE_BLOCK_ROWS)
    rhs, term = np.empty((c, rows)), np.empty((c, rows))
    for s, (b0, b1, b2, a0, a1, a2) in enumerate(sos):
        if a0 != 1.0:
            b0, b1, b2, a1, a2 = b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0
        band = np.empty((3, rows), order="F")
        band[0], band[1], band[2] = 1.0, a1, a2
        x_prev = np.zeros((c, 2))  # x[n-2], x[n-1] before the block
        y_prev = np.zeros((c, 2))  # y[n-2], y[n-1] before the block
        for start in range(0, m, rows):
            stop = min(m, start + rows)
            k = stop - start
            xb = y[:, start:stop]
            r = rhs if k == rows else np.empty((c, k))  # a channel's right-hand side per row
            np.multiply(xb, b0, out=r)
            if k > 1:
                np.multiply(xb[:, :-1], b1, out=term[:, : k - 1])
                r[:, 1:] += term[:, : k - 1]
            if k > 2 and b2 != 0.0:
                np.multiply(xb[:, :-2], b2, out=term[:, : k - 2])
                r[:, 2:] += term[:, : k - 2]
            if start == 0:
                r[:, 0] += zi[s, 0]
                if k > 1:
                    r[:, 1] += zi[s, 1]
            else:
                r[:, 0] += b1 * x_prev[:, 1] + b2 * x_prev[:, 0] - a1 * y_prev[:, 1] - a2 * y_prev[:, 0]
                if k > 1:
                    r[:, 1] += b2 * x_prev[:, 1] - a2 * y_prev[:, 1]
            x_prev = np.concatenate((x_prev, xb[:, -2:]), axis=1)[:, -2:]
            unit_lower_band_solve(band, r)
            xb[...] = r
            y_prev = np.concatenate((y_prev, xb[:, -2:]), axis=1)[:, -2:]


# --------------------------------------------------------------------------------------------- resampling
def upsample_poly(x: np.ndarray, up: int) -> np.ndarray:
    """Upsampling by an integer factor along axis 0 as ``scipy.signal.resample_poly(x, up, 1, axis=0,
    padtype="line")``: n × up samples, sample ``i × up`` at input sample ``i``.

    The FIR is SciPy's ``firwin(20 up + 1, 1 / up, window=("kaiser", 5.0))`` × up; the signal is extended by
    10 samples at each end along the line through its first and last samples; output ``m × up + p`` is the
    dot product of the 21 extended samples around input m with taps p, p + up, ... (the polyphase form of
    filtering the zero-stuffed signal): one matrix product (21 samples × ``up`` phases) per block of
    ``UPSAMPLE_ROWS`` inputs, whose result rows are the output in order."""
    x = np.asarray(x, dtype=np.float64)
    if up != int(up) or up < 1:
        raise ValueError("up must be a positive integer")
    up = int(up)
    if up == 1:
        return x.copy()
    n = x.shape[0]
    if n == 0:
        return np.empty_like(x)
    h = np.concatenate((_kaiser_lowpass(20 * up + 1, 1.0 / up) * up, np.zeros(up - 1)))
    taps = h[np.arange(up)[None, :] + (20 - np.arange(21))[:, None] * up]  # weight of ext[m + j] in output (m, p)
    channels = x.reshape(n, -1).T
    slope = (channels[:, -1] - channels[:, 0]) / (n - 1) if n > 1 else np.full(channels.shape[0], np.nan)
    steps = np.arange(1, 11, dtype=np.float64)
    out = np.empty((channels.shape[0], n, up))
    window = np.empty((min(n, UPSAMPLE_ROWS), 21))
    for c, channel in enumerate(channels):
        ext = np.concatenate((channel[0] + (-steps[::-1]) * slope[c], channel, channel[-1] + steps * slope[c]))
        windows = np.lib.stride_tricks.sliding_window_view(ext, 21)  # windows[m] = ext[m : m + 21], no copy
        for start in range(0, n, UPSAMPLE_ROWS):
            stop = min(n, start + UPSAMPLE_ROWS)
            w = window[: stop - start]
            w[...] = windows[start:stop]
            np.matmul(w, taps, out=out[c, start:stop])
    out = out.reshape(channels.shape[0], n * up)
    return out[0] if x.ndim == 1 else np.ascontiguousarray(out.T).reshape((n * up,) + x.shape[1:])


def _kaiser_lowpass(numtaps: int, cutoff: float, beta: float = 5.0) -> np.ndarray:
    """Windowed-sinc low-pass FIR (cutoff as a fraction of Nyquist), unit gain at DC: ``scipy.signal.firwin(
    numtaps, cutoff, window=("kaiser", beta))`` (``np.kaiser`` equals SciPy's Kaiser window to rounding)."""
    m = np.arange(numtaps, dtype=np.float64) - 0.5 * (numtaps - 1)
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(numtaps, beta)
    return h / np.sum(h)


# --------------------------------------------------------------------------------------------- FFT sizes
def next_fast_len(n: int) -> int:
    """The least 2^a 3^b 5^c ≥ ``n`` (n ≥ 1), a length NumPy's pocketfft transforms fast, as
    ``scipy.fft.next_fast_len(n, real=True)``."""
    if n < 1 or int(n) != n:
        raise ValueError(f"length must be a positive integer (got {n})")
    best = 1 << (int(n) - 1).bit_length()  # the power of two at or above n
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35 * (1 << (-(-n // p35) - 1).bit_length())  # times the least power of two reaching n
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


# --------------------------------------------------------------------------------------------- peaks
def find_peaks(x: np.ndarray, distance: float, prominence: float) -> np.ndarray:
    """Indices of the local maxima of ``x`` at least ``distance`` samples apart (lower peaks go first) whose
    prominence is >= ``prominence``: ``scipy.signal.find_peaks(x, distance=distance, prominence=prominence)[0]``."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("x must be one-dimensional")
    if distance < 1:
        raise ValueError("distance must be >= 1")
    runs = _Runs(x)
    peaks = runs.local_maxima()
    peaks = peaks[select_by_distance(peaks, x[peaks], distance)]
    return peaks[prominence <= runs.prominences(peaks)]


def local_maxima(x: np.ndarray) -> np.ndarray:
    """Samples higher than both neighbours; of a flat top (a run of equal samples between lower ones) the
    middle sample, the left one of the middle two for even widths (SciPy's ``_local_maxima_1d``)."""
    return _Runs(np.ascontiguousarray(x, dtype=np.float64)).local_maxima()


def peak_prominences(x: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Prominence of each peak (SciPy's ``peak_prominences`` with wlen=None): its height above the higher
    of the two minima between it and the nearest strictly higher sample on each side (or the signal's end)."""
    return _Runs(np.ascontiguousarray(x, dtype=np.float64)).prominences(np.asarray(peaks, np.intp))


class _Runs:
    """A signal as runs of equal samples (``starts`` None: every run is one sample, the usual case for
    measured data, which then costs one ``np.diff``), their values ``v`` and steps ``dv``."""

    def __init__(self, x: np.ndarray):
        self.x = x
        d = np.diff(x)
        if np.any(d == 0):
            self.starts = np.flatnonzero(np.concatenate(([True], d != 0)))
            self.v = x[self.starts]
            self.dv = np.diff(self.v)
        else:
            self.starts, self.v, self.dv = None, x, d

    def local_maxima(self) -> np.ndarray:
        if self.x.shape[0] < 3:
            return np.empty(0, np.intp)
        top = np.flatnonzero((self.dv[:-1] > 0) & (self.dv[1:] < 0)) + 1  # runs above both neighbours
        if self.starts is None:
            return top.astype(np.intp)
        ends = np.concatenate((self.starts[1:], [self.x.shape[0]])) - 1
        return ((self.starts[top] + ends[top]) // 2).astype(np.intp)

    def prominences(self, peaks: np.ndarray) -> np.ndarray:
        """The minima between a peak and the nearest strictly higher sample on each side, and those higher
        samples, lie on the signal's alternating extrema (the first and last samples included), so both are
        searched there: binary lifting over sparse tables of range maxima and minima, O(M log M) for M
        extrema, whatever the shape of the signal (SciPy walks the samples: O(N) per peak)."""
        if peaks.shape[0] == 0:
            return np.empty(0)
        turn = np.ones(self.v.shape[0], bool)
        rise = self.dv > 0
        turn[1:-1] = rise[:-1] != rise[1:]  # a run between a rise and a fall (or a fall and a rise)
        turns = np.flatnonzero(turn)
        e = self.v[turns]
        run_of = peaks if self.starts is None else np.searchsorted(self.starts, peaks, side="right") - 1
        q = np.searchsorted(turns, run_of)  # each peak's (flat top's) place among the extrema
        left_min = _min_back_to_higher(e, q)
        right_min = _min_back_to_higher(e[::-1], e.shape[0] - 1 - q)
        return self.x[peaks] - np.maximum(left_min, right_min)


def select_by_distance(peaks: np.ndarray, priority: np.ndarray, distance: float) -> np.ndarray:
    """Keep mask of SciPy's ``_select_by_peak_distance``: peaks in descending ``priority`` order (SciPy's
    ``np.argsort``, ties included) each remove the not yet removed peaks closer than ceil(distance).

    Only peaks with a neighbour closer than the distance can be removed; pairs are decided at once, and
    the greedy loop runs over clusters of three or more such peaks only."""
    k = peaks.shape[0]
    keep = np.ones(k, bool)
    if k < 2:
        return keep
    d = np.ceil(distance)
    close = np.diff(peaks) < d  # close[i]: peaks i and i+1 are closer than the distance
    if not close.any():
        return keep
    rank = np.empty(k, np.intp)
    by_priority = np.argsort(priority)
    rank[by_priority] = np.arange(k)
    # clusters: maximal runs of peaks linked by close neighbours
    edge = np.diff(np.concatenate(([False], close, [False])).astype(np.int8))
    c_start, c_stop = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1) + 1  # peaks [start, stop)
    size = c_stop - c_start
    pair = c_start[size == 2]
    first_loses = rank[pair] < rank[pair + 1]
    keep[pair[first_loses]] = False
    keep[pair[~first_loses] + 1] = False
    big = size > 2
    if big.any():
        member = np.zeros(k + 1, np.int8)
        np.add.at(member, c_start[big], 1)
        np.add.at(member, c_stop[big], -1)
        in_big = np.cumsum(member[:k]) > 0
        lo = np.searchsorted(peaks, peaks - d, side="right")  # first peak closer than d on the left
        hi = np.searchsorted(peaks, peaks + d, side="left")  # one past the last closer on the right
        for j in by_priority[in_big[by_priority]][::-1].tolist():
            if keep[j]:
                keep[lo[j] : j] = False
                keep[j + 1 : hi[j]] = False
    return keep


def _min_back_to_higher(e: np.ndarray, q: np.ndarray) -> np.ndarray:
    """For each index q: the minimum of e over (i, q] where i < q is the nearest index with e[i] > e[q]
    (over [0, q] where there is none), by descending powers of two over sparse tables."""
    m = e.shape[0]
    highs, lows = [e], [e]
    while (1 << len(highs)) <= m:  # level k: extremes of e[i : i + 2**k]
        w = 1 << (len(highs) - 1)
        highs.append(np.maximum(highs[-1][:-w], highs[-1][w:]))
        lows.append(np.minimum(lows[-1][:-w], lows[-1][w:]))
    level = e[q]
    pos = q.copy()  # e[pos:q] is known to be <= level
    low = level.copy()
    for k in range(len(highs) - 1, -1, -1):
        w = 1 << k
        cand = pos - w
        ok = cand >= 0
        idx = np.where(ok, cand, 0)
        ok &= highs[k][idx] <= level
        pos = np.where(ok, cand, pos)
        low = np.where(ok, np.minimum(low, lows[k][idx]), low)
    return low
