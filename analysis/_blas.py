"""The process's BLAS: one thread while ``analyze()`` runs (``threadpoolctl``), and the triangular band solve
that the IIR filters run on (CBLAS ``dtbsv``, called through ``ctypes`` in the BLAS NumPy loaded).

The analysis calls BLAS only for small products over long arrays (``(n, 3) @ (3,)`` projections, column
sums as ``ones @ x``, a least-squares fit of three unknowns): memory-bound work that two threads do not
finish sooner. OpenBLAS's worker threads, though, spin after each call waiting for the next one: on the
2-core development machine ``analyze()`` of an hour of running took 1.0 s of CPU for 0.7 s of wall time,
and 0.67-0.74 s of CPU with one BLAS thread at the same wall time (benchmarks/RESULTS.md, "Speed").
With one thread the results also no longer depend on the machine's core count (a two-thread reduction
sums in another order: values moved by ~1e-15).

Only the main thread sets the limit and gives it back (nested calls: the outermost); ``analyze()`` in other
threads runs with the process's setting, one thread while the main thread is inside. (OpenBLAS did not take
back a limit restored from another thread than the one that set it: restoring is left to its setter.)
"""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager, nullcontext
from functools import lru_cache

import numpy as np

_depth = 0  # nesting of one_blas_thread() in the main thread


@lru_cache(maxsize=1)
def _controller():
    """The process's BLAS libraries, found once (~1.5 ms): NumPy's (``analyze()`` loads no other, unless
    ``unit_lower_band_solve`` falls back to SciPy's, whose ``dtbsv`` is single-threaded)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread():
    """A context manager: BLAS on one thread inside the block when entered from the main thread
    (restored on exit by the outermost block); a null context in any other thread."""
    if threading.current_thread() is not threading.main_thread():
        return nullcontext()
    return _main_thread_limit()


@contextmanager
def _main_thread_limit():
    global _depth
    limiter = _controller().limit(limits=1, user_api="blas") if _depth == 0 else None
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if limiter is not None:
            limiter.restore_original_limits()


# ------------------------------------------------------------------------------------ triangular band solve
#: CBLAS enumerations (the CBLAS standard's values)
_COL_MAJOR, _LOWER, _NO_TRANS, _UNIT = 102, 122, 111, 132
#: CBLAS ``dtbsv`` under the names whose integer width the name itself tells: the scipy-openblas builds
#: that NumPy's wheels ship prefix ``scipy_`` and, with 64-bit integers, suffix ``64_``. (A plain
#: ``cblas_dtbsv`` may take either width: it is used only from an OpenBLAS that says it is LP64.)
_DTBSV_SYMBOLS = (("scipy_cblas_dtbsv64_", ctypes.c_int64), ("cblas_dtbsv64_", ctypes.c_int64),
                  ("scipy_cblas_dtbsv", ctypes.c_int))


def unit_lower_band_solve(band: np.ndarray, rhs: np.ndarray) -> None:
    """Solve L y = r in place for each row r of ``rhs`` (c × k, C-contiguous float64), L being the k × k unit
    lower-triangular band matrix whose sub-diagonals are ``band[1:, :k]`` (``band``: Fortran-ordered
    (kd + 1) × m LAPACK band storage, m ≥ k; row 0, the diagonal, is not read).

    Forward substitution by BLAS ``dtbsv``, one right-hand side at a time (what LAPACK ``dtbtrs`` does per
    column, so the results are those of ``dtbtrs``): through ``ctypes`` in NumPy's own BLAS, which saves
    importing ``scipy.linalg`` (~0.2 s of CPU on a cold start, benchmarks/RESULTS.md); SciPy's wrapper of
    the same routine where ``_cblas_dtbsv`` finds none (the same results, tests/analysis/test_dsp.py)."""
    kd, k = band.shape[0] - 1, rhs.shape[1]
    if not (band.flags.f_contiguous and rhs.flags.c_contiguous and band.dtype == rhs.dtype == np.float64):
        raise ValueError("band must be Fortran-ordered and rhs C-contiguous, both float64")
    if k > band.shape[1]:
        raise ValueError("rhs has more columns than the band matrix")
    found = _cblas_dtbsv()
    if found is None:
        from scipy.linalg.blas import dtbsv

        for row in rhs:
            row[:] = dtbsv(kd, band[:, :k], row, lower=1, diag=1, overwrite_x=1)
        return
    dtbsv, integer = found
    a = band.ctypes.data_as(ctypes.c_void_p)
    for row in rhs:
        dtbsv(_COL_MAJOR, _LOWER, _NO_TRANS, _UNIT, integer(k), integer(kd), a, integer(kd + 1),
              row.ctypes.data_as(ctypes.c_void_p), integer(1))


@lru_cache(maxsize=1)
def _cblas_dtbsv():
    """(CBLAS ``dtbsv``, its integer type) from the BLAS that NumPy loaded, checked on a small system whose
    solution is known; None where there is no such symbol of a known integer width or the check fails (or
    threadpoolctl does not list the library, as Apple's Accelerate)."""
    for lib in _controller().lib_controllers:
        if lib.user_api != "blas" or not lib.filepath:
            continue
        try:
            dll = ctypes.CDLL(lib.filepath)
        except OSError:
            continue
        symbols = _DTBSV_SYMBOLS
        if lib.internal_api == "openblas" and _openblas_is_lp64(dll):
            symbols += (("cblas_dtbsv", ctypes.c_int),)
        for name, integer in symbols:
            function = getattr(dll, name, None)
            if function is None:
                continue
            function.restype = None
            found = (function, integer)
            if _solves_correctly(*found):
                return found
    return None


def _openblas_is_lp64(dll) -> bool:
    """Whether an OpenBLAS without symbol affixes says it was built with 32-bit integers (its
    ``openblas_get_config()`` string lacks ``USE64BITINT``)."""
    config = getattr(dll, "openblas_get_config", None)
    if config is None:
        return False
    config.restype = ctypes.c_char_p
    return b"USE64BITINT" not in (config() or b"USE64BITINT")


def _solves_correctly(dtbsv, integer) -> bool:
    """Whether ``dtbsv`` solves y[n] - 0.5 y[n-1] + 0.25 y[n-2] = 1 for n = 0..4 as forward substitution does."""
    k = 5
    band = np.asfortranarray(np.array([[1.0] * k, [-0.5] * k, [0.25] * k]))
    y = np.ones(k)
    dtbsv(_COL_MAJOR, _LOWER, _NO_TRANS, _UNIT, integer(k), integer(2), band.ctypes.data_as(ctypes.c_void_p),
          integer(3), y.ctypes.data_as(ctypes.c_void_p), integer(1))
    expected = np.ones(k)
    for n in range(1, k):
        expected[n] = 1.0 + 0.5 * expected[n - 1] - (0.25 * expected[n - 2] if n > 1 else 0.0)
    return bool(np.array_equal(y, expected))
