"""Stages 1 and 2 work on pieces of a long recording (bounded memory): each piece gives what the whole
would, so the results do not depend on the piece size."""

import numpy as np
import pytest

from runform.analysis import _bouts, _contact, _orientation, _periodicity, _stage2_events
from runform.analysis._filters import from_block_means
from runform.analysis._preset import DEFAULT


def test_block_means_interpolated_for_a_slice_equal_that_slice_of_the_whole():
    rng = np.random.default_rng(3)
    for d in (1, 2, 4, 5):
        for m in (1, 2, 9, 200):
            y = rng.standard_normal((m, 3))
            n = m * d + int(rng.integers(0, d + 1))
            whole = from_block_means(y, d, n)
            for _ in range(40):
                lo = int(rng.integers(0, n))
                hi = int(rng.integers(lo + 1, n + 1))
                assert np.array_equal(from_block_means(y, d, hi, lo), whole[lo:hi]), (d, m, lo, hi)


def test_vertical_in_pieces_equals_the_vertical_of_the_full_rate_up(monkeypatch):
    rng = np.random.default_rng(4)
    fs, n = 200.0, 20_011
    acc = rng.normal([0.1, 0.2, 1.0], 0.3, (n, 3))
    gyro = rng.normal(0.0, 20.0, (n, 3))
    blocks = _orientation.gravity_blocks(acc, fs, gyro, lowpass_hz=0.25, order=2, tau_s=3.0)
    whole = _orientation.vertical(acc, blocks.up_full(n))
    monkeypatch.setattr(_orientation, "UP_PIECE_SAMPLES", 997)
    assert np.array_equal(_orientation.vertical_from_blocks(acc, blocks), whole)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5, 8])
def test_vertical_between_block_centres_equals_the_vertical_of_the_full_rate_up(monkeypatch, d):
    """Offset by offset within the blocks, on contiguous vectors, and at the ends through ``up_at``: the same
    values bit for bit, whatever the length, block factor and piece size."""
    rng = np.random.default_rng(40 + d)
    for n in (1, 2, d, d + 1, 2 * d - 1, 3 * d, 1001, 5003):
        acc = rng.normal([0.1, 0.2, 1.0], 0.3, (n, 3))
        m = n // d
        if m < 1:
            continue
        blocks = _orientation.Blocks(d, 50.0, None, _orientation._unit(rng.standard_normal((m, 3))))
        whole = _orientation.vertical(acc, blocks.up_full(n))
        for piece in (65536, 997, 7):
            monkeypatch.setattr(_orientation, "UP_PIECE_SAMPLES", piece)
            assert np.array_equal(_orientation.vertical_from_blocks(acc, blocks), whole), (d, n, piece)


def test_step_lag_in_blocks_of_windows_equals_the_whole_autocorrelation_matrix(monkeypatch):
    fs = 50.0
    t = np.arange(int(120 * fs)) / fs
    x = np.sin(2 * np.pi * 2.9 * t) + 0.3 * np.sin(2 * np.pi * 1.45 * t) + np.random.default_rng(5).normal(0, 0.2, t.size)
    monkeypatch.setattr(_periodicity, "AUTOCORR_BLOCK_ROWS", 7)
    lags = _periodicity.lags_read(300, fs, 1.2)
    whole = _periodicity.step_lag(_periodicity.window_autocorr(x, 300, 50, lags), fs, 0.25, 1.2, 0.7)
    pieces = _periodicity.window_step_lag(x, 300, 50, fs, 0.25, 1.2, 0.7)
    for w, p in zip(whole, pieces):
        assert np.array_equal(w, p, equal_nan=True)
    empty = _periodicity.window_step_lag(x[:100], 300, 50, fs, 0.25, 1.2, 0.7)
    assert empty[0].size == 0 and empty[1].size == 0


class _FlightInChunks:
    """A stand-in for ``ContactSignal.resolved_chunks``: known flight per step, handed out in chunks."""

    def __init__(self, ok, size):
        self.ok, self.size, self.chunks_read = ok, size, 0

    def resolved_chunks(self, pk, step_s, a, b, from_end=False):
        starts = list(range(0, self.ok.size, self.size))
        for i0 in (reversed(starts) if from_end else starts):
            self.chunks_read += 1
            yield i0, min(self.ok.size, i0 + self.size), self.ok[i0 : i0 + self.size]


def _dense_by_whole_array(ok, n_dense, need):
    """The edge trim's rule on the whole array at once (as before it read chunks)."""
    okf = ok.astype(float)
    fwd = np.convolve(okf, np.ones(n_dense), "full")[n_dense - 1:]
    bwd = np.convolve(okf, np.ones(n_dense), "full")[: okf.size]
    good_f = np.flatnonzero((okf > 0) & (fwd >= need))
    good_b = np.flatnonzero((okf > 0) & (bwd >= need))
    return (int(good_f[0]) if good_f.size else None), (int(good_b[-1]) if good_b.size else None)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 17, 1000])
def test_first_and_last_dense_flight_step_read_in_chunks_equal_the_whole_array(size):
    rng = np.random.default_rng(size)
    preset = DEFAULT
    for _ in range(300):
        k = int(rng.integers(preset.edge_dense_steps, 60))
        ok = rng.random(k) < rng.choice([0.2, 0.5, 0.8, 1.0])
        first, last = _dense_by_whole_array(ok, preset.edge_dense_steps, preset.edge_dense_min)
        pk = np.arange(k, dtype=float)
        got_first = _stage2_events.dense_flight_step(_FlightInChunks(ok, size), pk, 0.3, 0, k, preset)
        got_last = _stage2_events.dense_flight_step(_FlightInChunks(ok, size), pk, 0.3, 0, k, preset, from_end=True)
        assert (got_first, got_last) == (first, last), ok.astype(int)


def test_dense_flight_step_stops_reading_once_it_knows():
    ok = np.ones(1000, bool)
    flights = _FlightInChunks(ok, 100)
    assert _stage2_events.dense_flight_step(flights, np.arange(1000.0), 0.3, 0, 1000, DEFAULT) == 0
    assert flights.chunks_read == 1
    flights = _FlightInChunks(ok, 100)
    assert _stage2_events.dense_flight_step(flights, np.arange(1000.0), 0.3, 0, 1000, DEFAULT, from_end=True) == 999
    assert flights.chunks_read == 1


@pytest.mark.parametrize("gyro", [True, False])
def test_contact_timing_does_not_depend_on_the_chunk_size(monkeypatch, gyro):
    from runform import analysis
    from runform.firmware_sim import simulate
    from runform.firmware_sim.profiles import Segment

    sim = simulate("easy", duration_s=75, rate_hz=100, seed=7, gyro=gyro,
                   schedule=(Segment("walk", 15.0), Segment("run", 45.0), Segment("walk", 15.0)))
    whole = analysis.analyze(sim.recording).steps
    monkeypatch.setattr(_contact, "CHUNK_S", 4.0)  # many chunks, each shorter than its 2 s pads together
    pieces = analysis.analyze(sim.recording).steps
    run = whole["bout_kind"] == "run"
    assert run.sum() > 100
    assert list(pieces["bout_kind"]) == list(whole["bout_kind"])
    for column in ("time_s", "toe_off_s", "ground_contact_ms", "flight_ms", "time_above_half_g_ms"):
        np.testing.assert_allclose(pieces[column], whole[column], rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=column)


def test_block_means_interpolated_as_np_interp_does():
    """``from_block_means`` on its regular grid gives ``np.interp``'s values, bit for bit."""
    rng = np.random.default_rng(6)
    for d in range(1, 7):
        for m in (1, 2, 3, 8, 60):
            for y in (rng.standard_normal((m, 3)), rng.standard_normal(m)):
                n = m * d + int(rng.integers(0, d + 1))
                centres = np.arange(m) * d + 0.5 * (d - 1)
                i = np.arange(n, dtype=float)
                expected = (np.interp(i, centres, y) if y.ndim == 1
                            else np.column_stack([np.interp(i, centres, y[:, j]) for j in range(3)]))
                assert np.array_equal(from_block_means(y, d, n), expected), (d, m, y.ndim)
                for _ in range(20):
                    lo = int(rng.integers(0, n))
                    hi = int(rng.integers(lo, n + 1))
                    assert np.array_equal(from_block_means(y, d, hi, lo), expected[lo:hi]), (d, m, lo, hi)


@pytest.mark.parametrize("chunk_s", [60.0, 4.0])
def test_the_edge_trim_resolves_each_chunk_of_a_run_bout_once(monkeypatch, chunk_s):
    """It reads a run bout's chunks from the start and then from the end: a short bout's one chunk (or any
    chunk both reads reach) is resolved once and read twice."""
    from runform import analysis
    from runform.analysis import _steps
    from runform.firmware_sim import simulate
    from runform.firmware_sim.profiles import Segment

    sim = simulate("easy", duration_s=75, rate_hz=100, seed=7, gyro=False,
                   schedule=(Segment("walk", 15.0), Segment("run", 45.0), Segment("walk", 15.0)))
    monkeypatch.setattr(_contact, "CHUNK_S", chunk_s)
    resolved, reads, original = [], [], _steps.contact_resolved
    monkeypatch.setattr(_steps, "contact_resolved", lambda sf, centres, *rest: resolved.append(
        tuple(np.round(centres, 6))) or original(sf, centres, *rest))
    chunks = _contact.ContactSignal.resolved_chunks
    monkeypatch.setattr(_contact.ContactSignal, "resolved_chunks", lambda self, *args: (
        reads.append(i0) or (i0, i1, ok) for i0, i1, ok in chunks(self, *args)))
    steps = analysis.analyze(sim.recording).steps
    assert (steps["bout_kind"] == "run").sum() > 100
    assert len(resolved) == len(set(resolved)) > 0  # no chunk twice
    if chunk_s == 60.0:
        assert (len(reads), len(resolved)) == (2, 1)  # the bout's one chunk: read from both ends, resolved once
