"""Shared fixtures. Real recordings live in ../shared/data/real (absent in a user's clone: skip)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
VECTORS = SHARED / "data" / "ble-vectors"


@pytest.fixture
def real_dir():
    """Path to ../shared/data/real, or skip the test when it is not there."""
    if not REAL.is_dir():
        pytest.skip("../shared/data/real is not present (a user's clone has no ../shared)")
    return REAL


@pytest.fixture
def vectors_dir():
    if not VECTORS.is_dir():
        pytest.skip("../shared/data/ble-vectors is not present")
    return VECTORS


def pytest_configure(config):
    """A run log of the test session's own, set before any fixture runs (module-scoped fixtures run
    commands too): no test writes into the real user's data folder."""
    os.environ["RUNFORM_DB"] = str(Path(tempfile.mkdtemp(prefix="runform-test-log-")) / "runlog.sqlite")


@pytest.fixture(autouse=True)
def _private_run_log(tmp_path_factory, monkeypatch):
    """Every test gets its own run log (``$RUNFORM_DB``): ``analyze``, ``report`` and ``record`` add
    their session to the log, and a test must never write into the real user's data folder."""
    monkeypatch.setenv("RUNFORM_DB", str(tmp_path_factory.mktemp("runlog") / "runlog.sqlite"))
