"""Shared fixtures. Real recordings live in ../shared/data/real (absent in a user's clone: skip)."""

from __future__ import annotations

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
