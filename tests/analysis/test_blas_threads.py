"""``analyze()`` runs BLAS on one thread (``analysis._blas``) and gives the process its limits back."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from runform import analysis
from runform.analysis._blas import one_blas_thread
from runform.firmware_sim import simulate


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_every_stage_runs_on_one_blas_thread_and_the_limits_come_back():
    rec = simulate("easy", duration_s=30, rate_hz=100, seed=1).recording
    seen = []

    @contextmanager
    def timer(stage):
        seen.append(_blas_threads())
        yield

    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        if not before:
            pytest.skip("no BLAS library that threadpoolctl can see")
        analysis.analyze(rec, stage_timer=timer)
        assert _blas_threads() == before
    assert seen and all(threads == [1] * len(before) for threads in seen)


def test_nested_blocks_restore_once_and_other_threads_leave_the_limit_alone():
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        if not before:
            pytest.skip("no BLAS library that threadpoolctl can see")
        with one_blas_thread():
            with one_blas_thread():
                assert _blas_threads() == [1] * len(before)
            assert _blas_threads() == [1] * len(before)  # the inner block does not restore
        assert _blas_threads() == before
        seen = []

        def other():
            with one_blas_thread():
                seen.append(_blas_threads())

        worker = threading.Thread(target=other)
        worker.start()
        worker.join(timeout=60)
        assert seen == [before]  # another thread neither sets nor restores
        assert _blas_threads() == before
