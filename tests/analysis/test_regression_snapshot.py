"""Regression snapshot: a committed simulator recording's steps CSV and summary JSON, compared with
tolerances (as mobgap and gaitmap do), so that a change in any metric shows in review.

The recording (``snapshots/c25k_62s.csv``, written once by ``snapshots/make_recording.py``) is
committed, not simulated here: a change to the simulator must not move the snapshot. When a change
to the analysis is meant to move a figure, regenerate the expected files and commit them with it::

    RUNFORM_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/analysis/test_regression_snapshot.py
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from runform.analysis import analyze
from runform.sensors import load_recording

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
RECORDING = SNAPSHOTS / "c25k_62s.csv"
EXPECTED_STEPS = SNAPSHOTS / "c25k_62s.steps.csv"
EXPECTED_SUMMARY = SNAPSHOTS / "c25k_62s.summary.json"
UPDATE = os.environ.get("RUNFORM_UPDATE_SNAPSHOTS") == "1"
#: relative and absolute tolerance: far below any metric's shown precision, above float noise
RTOL, ATOL = 1e-6, 1e-9


@pytest.fixture(scope="module")
def session():
    return analyze(load_recording(RECORDING))


def _steps_csv(session) -> str:
    return session.steps_frame().to_csv(index=False, float_format="%.10g")


def _update(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    pytest.skip(f"wrote {path.name}")


def test_steps_match_the_snapshot(session):
    if UPDATE:
        _update(EXPECTED_STEPS, _steps_csv(session))
    expected = pd.read_csv(EXPECTED_STEPS, keep_default_na=False, na_values=[""])
    got = pd.read_csv(io.StringIO(_steps_csv(session)), keep_default_na=False, na_values=[""])
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected), f"{len(got)} steps, the snapshot has {len(expected)}"
    for column in expected.columns:
        e, g = expected[column].to_numpy(), got[column].to_numpy()
        if e.dtype.kind in "fi":
            np.testing.assert_allclose(g.astype(float), e.astype(float), rtol=RTOL, atol=ATOL, equal_nan=True,
                                       err_msg=f"steps column {column}")
        else:
            assert list(g) == list(e), f"steps column {column}"


def _compare(got, expected, path: str) -> None:
    """Recursive equality; numbers within RTOL/ATOL (None stands for NaN in the JSON)."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        assert sorted(got) == sorted(expected), f"{path}: keys {sorted(set(got) ^ set(expected))} differ"
        for key in expected:
            _compare(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected)):
            _compare(g, e, f"{path}[{i}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{path}: {got!r}"
        assert math.isclose(got, expected, rel_tol=RTOL, abs_tol=ATOL), f"{path}: {got!r} != {expected!r}"
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


def test_summary_matches_the_snapshot(session):
    text = session.to_json() + "\n"
    if UPDATE:
        _update(EXPECTED_SUMMARY, text)
    _compare(json.loads(text), json.loads(EXPECTED_SUMMARY.read_text(encoding="utf-8")), "summary")


def test_the_snapshot_covers_walking_running_and_flags():
    """The snapshot is worth its bytes only if it exercises every stage: stand, walk and run bouts,
    left and right running steps with contact times, and at least one flag."""
    steps = pd.read_csv(EXPECTED_STEPS, keep_default_na=False, na_values=[""])
    summary = json.loads(EXPECTED_SUMMARY.read_text(encoding="utf-8"))
    assert {b["kind"] for b in summary["bouts"]} == {"stand", "walk", "run"}
    run = steps[steps["bout_kind"] == "run"]
    assert set(run["side"]) == {"L", "R"} and run["ground_contact_ms"].notna().sum() > 50
    assert summary["flags"]
