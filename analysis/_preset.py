"""Named parameter presets for the analysis pipeline (no literals inside the algorithms).

Each default's method and source is in docs/METRICS.md (the pipeline table, the per-step table and
the references); values marked "tuned" were set on firmware_sim and the real recordings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


class ShortRepr:
    """For a dataclass of parameters: ``repr`` names only the fields that differ from their defaults
    (``Preset()``, ``Preset(min_segment_s=6.0)``), so a signature such as ``help(analyze)`` stays one line."""

    def __repr__(self) -> str:
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                   if f.repr and getattr(self, f.name) != f.default]
        return f"{type(self).__name__}({', '.join(changed)})"


@dataclass(frozen=True, repr=False)
class Preset(ShortRepr):
    # --- timebase ----------------------------------------------------------------------------
    # continuous pieces shorter than this are not analysed; 4 s holds >= 2 windows and ~12 running steps
    # (the 4.96 s sacral treadmill trials were skipped at 6 s)
    min_segment_s: float = 4.0
    # a gap up to this long is bridged (bouts and step detection carry across it; every per-step
    # measurement whose window touches it is NaN): lost BLE frames (Movesense at 5 % loss: 6-8 samples
    # about every second) and bursts of them; longer than a running step, shorter than any bout. Longer
    # gaps split the recording into segments.
    max_bridged_gap_s: float = 0.5
    # a measurement window closer than this to a bridged gap is NaN: the reach of the filters that
    # feed it (the 15 Hz contact / 25 Hz impact low-passes settle within ~2 periods of 15 Hz)
    gap_margin_s: float = 0.05
    # --- orientation -------------------------------------------------------------------------
    gravity_lowpass_hz: float = 0.25  # accelerometer-only gravity estimate (zero-phase Butterworth)
    gravity_lowpass_order: int = 2
    cf_tau_s: float = 3.0  # complementary-filter time constant with a gyroscope
    # --- periodicity / bouts -----------------------------------------------------------------
    window_s: float = 2.0  # classification window
    hop_s: float = 1.0
    context_s: float = 6.0  # autocorrelation context around each window
    step_lag_min_s: float = 0.25  # 240 spm
    step_lag_max_s: float = 1.2  # 50 spm
    harmonic_keep_ratio: float = 0.7  # prefer a sub-multiple lag whose correlation is this close
    min_periodicity: float = 0.25  # normalised autocorrelation at the step lag
    still_std_g: float = 0.05  # std(|f|) below this: standing still
    feature_lowpass_hz: float = 8.0  # "bounce level" vertical signal for flight presence
    flight_sf_g: float = 0.35  # vertical specific force below this = flight
    run_flight_min_cadence_spm: float = 120.0  # flight + at least this cadence = running
    run_flight_peak_g: float = 1.5
    run_cadence_spm: float = 145.0  # grounded running: at least this cadence and bounce peak
    run_peak_g: float = 1.6
    walk_min_cadence_spm: float = 60.0
    walk_max_cadence_spm: float = 150.0
    smooth_windows: int = 5  # majority filter length (windows)
    min_bout_s: float = 8.0
    edge_dense_steps: int = 4  # a run bout starts/ends at a step with flight where at least
    edge_dense_min: int = 3  # ... this many of it and its next/previous edge_dense_steps - 1 have flight
    edge_lead_steps: float = 1.5  # a run bout starts this many steps before its first dense flight step
    # a run bout's median step has contact <= this x its step time (a step without flight counts as 1);
    # tuned: real stairs and heavy walking 0.92-1.0 (ActiGraph 028, 716-770 s), jogs 0.63-0.75 (Hexoskin,
    # ActiGraph), simulated running up to 0.85 (the sweep's cap)
    run_max_contact_frac: float = 0.9
    min_stand_bout_s: float = 3.0  # standing still is unambiguous: shorter stand bouts are kept
    edge_search_s: float = 3.0  # run edges move to the first/last flight phase within this distance
    edge_margin_steps: float = 0.5  # ... plus this many step times (the strike before the first flight)
    # --- upright reference for forward lean -----------------------------------------------------
    # standing counts as upright when its gravity direction is this close to walking's (trunk a few
    # degrees forward when walking; sitting slumped or reclined, lying and a slipped strap differ more) ...
    upright_walk_tol_deg: float = 12.0
    # ... or, in a recording without walking, to running's (upright running lean is about 5-15°)
    upright_run_tol_deg: float = 20.0
    # --- steps ------------------------------------------------------------------------------
    step_lowpass_hz: float = 6.0
    peak_distance_frac: float = 0.6  # find_peaks distance as a fraction of the step time
    peak_prominence_sd: float = 0.5
    step_time_tolerance: float = 0.3  # steps outside (1 +- this) x local median step time split parity runs
    # the contact signal is band-limited-upsampled to >= this for crossings; 500 (600 Hz at 200 Hz) against
    # 1000: 25 ms less per hour of 200 Hz data, every accuracy row equal or better (benchmarks/RESULTS.md)
    event_rate_hz: float = 500.0
    metric_rate_hz: float = 200.0  # other signals (VO, impact) are upsampled to >= this
    contact_lowpass_hz: float = 15.0  # capped at contact_lowpass_max_frac x fs
    contact_lowpass_max_frac: float = 0.4
    contact_threshold_g: float = 0.5  # h of the sine-model inversion (Morin et al. 2005)
    contact_opening_s: float = 0.04  # positive bumps narrower than this (heel-strike transient) are removed
    contact_search_frac: float = 0.65  # crossings are searched within this x step time of the mid-stance peak
    contact_top_frac: float = 0.6  # the pulse centre = midpoint of the crossings of this x its maximum
    contact_bridge_s: float = 0.03  # dips below h shorter than this inside stance are bridged
    side_window_s: float = 0.1  # walking: ML feature window around the mid-stance peak
    # --- per-step metrics ---------------------------------------------------------------------
    cycle_points: int = 128
    impact_lowpass_hz: float = 25.0  # capped at contact_lowpass_max_frac x fs
    bounce_lowpass_hz: float = 8.0
    transient_min_rate_hz: float = 100.0  # heel-strike transient only at >= this rate (a 10-30 Hz transient), else NaN
    # contact timing and the impact peak only at >= this rate, else NaN with a reason in the summary:
    # at 25 Hz (the lowest rate tested) contact time is within 15 ms of the simulator's truth
    # (tests/analysis/test_analyze_session.py); below 20 Hz a sample interval is over a fifth of a contact
    contact_min_rate_hz: float = 20.0
    impact_min_rate_hz: float = 20.0
    transient_lowpass_hz: float = 50.0  # transients are 10-30 Hz; capped below Nyquist
    transient_window_s: float = 0.06  # transient = peak residual in this long after the strike (50-80 ms in the literature)
    transient_fit_from_s: float = 0.06  # the half-sine's amplitude is fitted from here to toe-off (tuned: sim)
    # --- summary -----------------------------------------------------------------------------
    trim_steps: int = 3  # first/last steps of each bout left out of the medians
    clip_fraction: float = 0.98  # |acc| at this fraction of the range counts as clipped
    clip_note_min: float = 0.001  # note clipping when at least this fraction of samples clipped
    signals_rate_hz: float = 25.0  # decimated plotting signals
    cycle_grid_points: int = 101

    def with_(self, **changes) -> "Preset":
        return replace(self, **changes)


DEFAULT = Preset()
