"""One BLAS thread while ``analyze()`` runs (``threadpoolctl``).

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

import threading
from contextlib import contextmanager, nullcontext
from functools import lru_cache

_depth = 0  # nesting of one_blas_thread() in the main thread


@lru_cache(maxsize=1)
def _controller():
    """The process's BLAS libraries, found once (~1.5 ms); ``scipy.linalg`` is imported first so that
    SciPy's own OpenBLAS, which ``analyze()`` loads with it anyway (``_dsp``'s LAPACK banded solve), is
    among them."""
    import scipy.linalg  # noqa: F401
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
