"""The metric catalogue: each per-step column and summary metric defined once.

A ``Metric`` carries a metric's key (the step-table column and summary name), label, unit, display
decimals, its colour band where one is published, the plain words the report shows a runner, and
the definition and source that ``docs/METRICS.md`` prints (its per-step table is generated from
here: ``python -m runform.analysis.catalogue``). The step table (``STEP_COLUMNS``), the summary's
medians, the flags, the CLI text, the report and the live panel all read this module; a new metric
is one new entry in ``METRICS``.

Bands are looked up through ``Metric.band_of(value, placement=..., speed_mps=...)``: where the sensor
is worn decides whether Garmin's chest-strap (HRM) or waist-pod (RDP) band holds, or none
(``analysis/placement.py``); edges and sources: ``analysis/_thresholds.py``.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from . import _thresholds as th
from . import placement as _placement


@dataclass(frozen=True)
class Band:
    """Colour bands of one metric: ascending ``edges`` and the colour of each interval
    (``len(colours) == len(edges) + 1``; a value on an edge belongs to the upper interval).
    With ``centre`` set, the distance ``|value - centre|`` is banded (GCT balance around 50 %)."""

    edges: tuple[float, ...]
    colours: tuple[str, ...]
    source: str
    centre: float | None = None

    def colour(self, value: float) -> str:
        x = abs(value - self.centre) if self.centre is not None else value
        return self.colours[bisect_right(self.edges, float(x))]


@dataclass(frozen=True)
class Metric:
    """One quantity runform reports.

    ``key``: the step-table column / summary name (its suffix is the unit). ``label``: the short
    name shown to a runner ("Bounce"). ``unit``: as displayed ("" for a ratio). ``decimals``: the
    display precision everywhere. ``hint``: one plain sentence for the runner (report cards).
    ``definition`` and ``source``: what ``docs/METRICS.md`` prints. ``per_step``: a column of
    ``Session.steps``; ``summarised``: its median over the trimmed steps is in each summary group.
    ``signed``: shown with its sign (a left-minus-right difference).
    """

    key: str
    label: str
    unit: str
    decimals: int
    definition: str
    source: str = ""
    hint: str = ""
    per_step: bool = True
    summarised: bool = False
    signed: bool = False
    band: Band | None = None
    #: Garmin's waist-pod band where it differs from the chest-strap one (``placement.BAND_FAMILY``)
    rdp_band: Band | None = None

    @property
    def unit_suffix(self) -> str:
        """The unit as written after a number: " cm", "°" (no space), "" (no unit)."""
        if not self.unit:
            return ""
        return self.unit if self.unit == "°" else f" {self.unit}"

    def number(self, value, decimals: int | None = None) -> str:
        """``value`` at the display precision (without unit); "n/a" for None or NaN."""
        if value is None or not math.isfinite(value):
            return "n/a"
        places = self.decimals if decimals is None else decimals
        return f"{value:{'+' if self.signed else ''}.{places}f}"

    def format(self, value, decimals: int | None = None) -> str:
        """``value`` at the display precision with its unit ("9.8 cm"); "n/a" for None or NaN."""
        text = self.number(value, decimals)
        return text if text == "n/a" else text + self.unit_suffix

    def band_of(self, value, *, placement: str | None = None, speed_mps: float | None = None) -> str:
        """The colour band of ``value`` ("purple" .. "red"), or ``th.NO_BAND`` without a band or value,
        or where no published band holds for ``placement`` (None: judged as a chest strap,
        ``placement.ASSUMED``). ``speed_mps`` is accepted for bands that will depend on it; Garmin's
        bands are for any speed (speed-dependent judgements are the flags', ``analysis.speed``)."""
        return self.band_for(placement).colour(value) if self.has_band(value, placement) else th.NO_BAND

    def has_band(self, value, placement: str | None = None) -> bool:
        return (self.band is not None and value is not None and math.isfinite(value)
                and _placement.band_family(self.key, placement) is not None)

    def band_for(self, placement: str | None) -> Band | None:
        """The band that holds at ``placement`` (None: none does)."""
        family = _placement.band_family(self.key, placement)
        if family is None or self.band is None:
            return None
        return self.rdp_band if family == "rdp" and self.rdp_band is not None else self.band


def _garmin_band(key: str) -> Band:
    edges, colours = th.BANDS[key]
    return Band(tuple(edges), tuple(colours), th.GARMIN_HRM_SOURCE)


def _rdp_band(key: str) -> Band:
    edges, colours = th.RDP_BANDS[key]
    return Band(tuple(edges), tuple(colours), th.GARMIN_RDP_SOURCE)


_LEE_2010 = ("Lee, Mellifont & Burkett 2010, J Sci Med Sport 13:270–273; "
             "Lee, Sutter, Askew & Burkett 2010, J Sci Med Sport 13:559–563")
_MORIN_2005 = "Morin et al. 2005, J Appl Biomech 21:167–180"
_KIERNAN_2023 = "Kiernan, Ng & Hawkins 2023, Sensors 23:8719, doi:10.3390/s23218719"

METRICS: tuple[Metric, ...] = (
    Metric("time_s", "Foot strike", "s", 3,
           "foot strike (initial contact), s from the recording start; walking: the mid-stance vertical peak "
           "(firmware_sim: +133…141 ms after the walking strike, SD 35–42 ms; walking counts and cadence are "
           "unaffected)",
           f"{_MORIN_2005} (contact from the sine model)"),
    Metric("side", "Foot", "L/R", 0,
           "foot of this strike: mean ML acceleration over stance (right stance pushes the trunk left), "
           "every-other-step parity vote", _LEE_2010),
    Metric("bout", "Bout", "", 0, "index into `Session.bouts`"),
    Metric("bout_kind", "Bout kind", "", 0, '"walk" / "run"'),
    Metric("step_time_s", "Step time", "s", 3,
           "this strike to the next (NaN for the last step of a bout)", summarised=True),
    Metric("cadence_spm", "Cadence", "spm", 0,
           "60 / `step_time_s`; a bout's or the session's cadence is 60 × Σ(n_b − 1) / Σ(t_last − t_first) over "
           "each bout's steps (not a median of quantised intervals)",
           "Moe-Nilssen & Helbostad 2004, J Biomech 37:121, doi:10.1016/S0021-9290(03)00233-1",
           hint="Steps per minute, both feet. Quicker, shorter steps usually soften the bounce.",
           band=_garmin_band("cadence_spm")),
    Metric("vertical_oscillation_cm", "Bounce", "cm", 1,
           "peak-to-peak vertical displacement of the **sensor point (torso)** over the cycle between consecutive "
           "mid-stance peaks; per-cycle double integration with periodic boundary conditions on a (K × 128) cycle "
           "matrix, sub-sample boundaries. Torso VO exceeds centre-of-mass VO: do not compare with COM norms",
           "Zijlstra & Hof 2003, Gait Posture 18(2):1–10 (per step, forced periodic); "
           "Watari et al. 2016, J Appl Biomech 32:306, doi:10.1123/jab.2015-0200 (torso vs COM)",
           hint="How far your trunk rises and falls each step. Less bounce means less jarring.",
           summarised=True, band=_garmin_band("vertical_oscillation_cm"), rdp_band=_rdp_band("vertical_oscillation_cm")),
    Metric("ground_contact_ms", "Ground contact", "ms", 0,
           "contact time from the sine-model inversion with the measured pulse maximum (running only; NaN when "
           "walking, like Garmin)",
           f"{_MORIN_2005}; Patoz et al. 2021, Front Bioeng Biotechnol 9:687951, doi:10.3389/fbioe.2021.687951",
           hint="How long each foot stays on the ground per step.",
           summarised=True, band=_garmin_band("ground_contact_ms")),
    Metric("flight_ms", "Flight", "ms", 0, "`step_time` − contact", _MORIN_2005, summarised=True),
    Metric("duty_factor", "Duty factor", "", 2, "contact / (2 × step time)", summarised=True),
    Metric("impact_g", "Impact", "g", 2,
           "peak vertical specific force in stance (low-pass min(25 Hz, 0.4 fs))", _KIERNAN_2023,
           hint="Peak up-down jolt at the strap as the foot lands (standing still reads 1 g).", summarised=True),
    Metric("impact_slope_g_per_s", "Impact rise slope", "g/s", 0,
           "maximum rise slope from the strike to that peak; exploratory at the trunk: use within-person, never "
           "as a loading rate", _KIERNAN_2023, summarised=True),
    Metric("impact_transient_g", "Heel-strike transient", "g", 2,
           "peak of the vertical specific force (50 Hz low-pass) above a half-sine `S sin(π (t − IC)/t_c)` on the "
           "measured strike and contact, in the first 60 ms after the strike; S fitted by least squares from 60 ms "
           "after the strike to toe-off; residual taken on the signal's samples (upsampled to ≥ 200 Hz) with a "
           "parabolic peak. Running only; **NaN below 100 Hz** (transients of 10–30 Hz; never guessed), and for "
           "a stance touching a bridged gap. Exploratory at the trunk",
           f"{_MORIN_2005} (the half-sine); {_KIERNAN_2023}", summarised=True),
    Metric("bounce_g", "Spring-mass peak", "g", 2,
           "same peak after an 8 Hz low-pass (the spring-mass part, reliable at 25 Hz)", _MORIN_2005,
           summarised=True),
    Metric("trunk_rotation_deg", "Trunk rotation", "°", 1,
           "range of the heading angle (∫ ω·up) over the stride starting at this step, linear trend removed (gyro "
           "bias); NaN without a gyroscope — never guessed",
           "Preece, Mason & Bramah 2016, Hum Mov Sci 45, doi:10.1016/j.humov.2015.11.014",
           hint="How much your upper body twists left and right over one stride.", summarised=True),
    Metric("forward_lean_deg", "Forward lean", "°", 1,
           "pitch of the stride-mean \"up\" relative to the upright posture: standing recognised as upright (each "
           "1 s of standing within 12° of the walking posture, or 20° of running without walking); NaN, with the "
           "reason in the summary's notes, when there is no such standing (sitting, lying, a slipped strap, no "
           "stand). Without a gyro, the trunk's pitch oscillation times the vertical acceleration biases the mean "
           "\"up\": +1.2…+2.4° in firmware_sim running",
           "Teng & Powers 2015, Med Sci Sports Exerc 47(3):625–630", summarised=True),
    Metric("lateral_sway_cm", "Lateral sway", "cm", 1,
           "ML displacement range over the stride (same periodic integration as the bounce)",
           "Zijlstra & Hof 2003, Gait Posture 18(2):1–10", summarised=True),
    Metric("speed_mps", "Speed", "m/s", 2,
           "running speed of the running bouts: given (`--speed-kmh`, a treadmill), else from the runner's track "
           "(`--track` GPX/TCX/FIT), else a footpod's; NaN for walking and without a speed (runform does not "
           "estimate speed from the trunk)", summarised=True),
    Metric("step_length_m", "Step length", "m", 2,
           "speed × step time: distance per step (Garmin's \"stride length\"); a bout's or the running's: speed × "
           "60 / cadence (distance over steps); NaN without a speed",
           "Garmin Running Dynamics", hint="How far you travel with each step.", summarised=True),
    Metric("vertical_ratio_pct", "Vertical ratio", "%", 1,
           "vertical oscillation / step length × 100 (a bout's: its median VO over its step length); NaN without a "
           "speed. Bands: Garmin HRM at the chest and upper back, RDP at the waist and sacrum",
           "Garmin Running Dynamics (Forerunner 945 owner's manual, colour gauge)",
           hint="Bounce per metre travelled. Lower is more economical.", summarised=True,
           band=_garmin_band("vertical_ratio_pct"), rdp_band=_rdp_band("vertical_ratio_pct")),
    Metric("heart_rate_bpm", "Heart rate", "bpm", 0,
           "median of the strap's heart rate (BLE 0x2A37, recorded in the sidecar) over the bout's time, or over "
           "all running / walking; null without one", "Bluetooth SIG Heart Rate Service", per_step=False),
    Metric("heart_rate_drift_bpm", "Heart-rate drift", "bpm", 0,
           "last run bout's median heart rate minus the first's (one run bout: its last third minus its first "
           "third); null without heart rate", "", per_step=False, signed=True),
    Metric("toe_off_s", "Toe-off", "s", 3, "strike + contact", _MORIN_2005),
    Metric("time_above_half_g_ms", "Time above 0.5 g", "ms", 0, "the raw time the vertical pulse spends above 0.5 g",
           _MORIN_2005),
    Metric("lr_pulse_shape_diff", "Left/right pulse shape difference", "", 3,
           "the bout's left/right shape check, as a fraction of the peak (same value for every running step of the "
           "bout; NaN when walking or with < 10 resolved steps a side; `docs/METRICS.md`, pipeline)",
           "runform (no published method)"),
    Metric("gct_balance_left_pct", "Balance", "% L", 1,
           "100 · median(t_c,L) / (median(t_c,L) + median(t_c,R)), only when the left and right stance pulses "
           "have the same shape",
           "Garmin GCT balance", hint="Share of ground-contact time on each foot. 50 / 50 is even.",
           per_step=False,
           band=Band(th.BALANCE_EDGES_FROM_50, th.BALANCE_COLOURS, th.GARMIN_BALANCE_SOURCE, centre=50.0)),
    Metric("step_time_asymmetry_pct", "Step-time asymmetry (L−R)", "%", 1,
           "100 · (T_L − T_R) / (0.5 (T_L + T_R)) on medians, T_L = step starting at a left strike",
           "Robinson, Herzog & Nigg 1987, J Manipulative Physiol Ther 10(4):172–176", per_step=False, signed=True),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
#: per-step columns in the order the steps CSV shows them
STEP_COLUMNS: tuple[str, ...] = tuple(m.key for m in METRICS if m.per_step)
#: per-step metrics whose median over the trimmed steps each summary group carries
SUMMARISED: tuple[str, ...] = tuple(m.key for m in METRICS if m.summarised)


def metric(key: str) -> Metric:
    """The catalogue entry of ``key`` (KeyError names the key)."""
    return BY_KEY[key]


def markdown_table() -> str:
    """The per-step table of ``docs/METRICS.md`` (between its ``catalogue`` markers)."""
    rows = ["| column | unit | definition and method | source |", "|---|---|---|---|"]
    for m in METRICS:
        if m.per_step:
            rows.append(f"| `{m.key}` | {m.unit or '–'} | {m.definition} | {m.source or '–'} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m runform.analysis.catalogue: the table for docs/METRICS.md
    print(markdown_table())
