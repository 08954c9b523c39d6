"""Running-form flags: rules over the session summary and the per-step table.

Public API
----------
``evaluate_flags(summary, steps) -> list[dict]``
    Each flag: ``{"code", "severity" ("info"|"mild"|"marked"), "metric", "value", "threshold",
    "source", "message", "advice"}``; ``jarring_gait`` first, then by severity.
``band(metric, value) -> str``
    Garmin colour band ("purple", "blue", "green", "orange", "red"; "none" where no band exists).
``FORM_CUE_DISCLAIMER``
    Print it next to the flags.

Inputs
------
``summary`` follows ``runform.summary/1``; ``summary["running"]`` is read
(``seconds``, ``steps``, ``cadence_spm``, ``vertical_oscillation_cm``, ``ground_contact_ms``,
``impact_g``, ``trunk_rotation_deg``, ``gct_balance_left_pct``, ``step_time_asymmetry_pct``,
optional ``impact_transient_g``, ``step_time_reference``, ``trend``, ``vertical_ratio_pct``,
``step_length_m``) plus ``summary["has_gyro"]`` and ``summary["context"]`` (optional: ``placement``,
``speed_mps``; ``analysis._pipeline.context``).

Placement and speed
-------------------
A band is used only where it holds for the placement (``analysis.placement``: Garmin's chest-strap
bands at the chest and upper back, its waist-pod bands at the waist and sacrum; no bounce, contact or
balance band at the hip or in a neck pouch), and each message names the placement. Cadence, bounce and
ground contact all change with speed: with a speed, cadence is judged against what beginners choose at
that speed (``analysis.speed``, van Oeveren et al. 2017) and bounce as vertical ratio (bounce per metre
travelled, Garmin's band); without one, these flags compare with runners at any speed, say that the
speed is unknown, and are at most "mild".
``steps`` is the dict of per-step arrays (``time_s, side, bout_kind, step_time_s, cadence_spm,
vertical_oscillation_cm, ground_contact_ms, impact_g, ...``; optional ``impact_transient_g``). Only
steps with ``bout_kind == "run"`` count: walking and standing never raise a running flag.

The within-session comparison that ``form_fades`` reads (``summary["running"]["trend"]``) is
``analysis.trend``'s; where the summary carries no usable trend, ``evaluate_flags`` computes it from
``steps``.

Thresholds and their sources: ``analysis/_thresholds.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from runform.analysis import _thresholds as th
from runform.analysis import catalogue
from runform.analysis import placement as _placement
from runform.analysis import speed as _speed
from runform.analysis._run_steps import finite, median_se, run_steps
from runform.analysis._sliding import smooth_over_steps
from runform.analysis._symmetry import STRIKE as STRIKE_REFERENCE  # a step-time SI timed from foot strikes
from runform.analysis.trend import session_trend
from runform.sensors.errors import InputError

FORM_CUE_DISCLAIMER = (
    "These are form cues from a trunk-worn sensor, compared with population bands and your own "
    "running: they are not a diagnosis. If something hurts, see a physiotherapist or doctor."
)

INFO, MILD, MARKED = "info", "mild", "marked"
_SEVERITY_ORDER = {MARKED: 0, MILD: 1, INFO: 2}


# ---------------------------------------------------------------------------------------
# colour bands
# ---------------------------------------------------------------------------------------
def band(metric: str, value: float | None, placement: str | None = None) -> str:
    """Garmin colour band of ``value`` for ``metric`` at ``placement`` (None: a chest strap); ``"none"``
    without a band or value, or where no band holds for the placement.

    The bands are the metric catalogue's (``analysis.catalogue``, ``Metric.band_of``): cadence_spm,
    ground_contact_ms, vertical_oscillation_cm, vertical_ratio_pct (purple/blue/green/orange/red) and
    gct_balance_left_pct (green/orange/red by distance from 50 %); edges and sources in ``_thresholds``.
    """
    entry = catalogue.BY_KEY.get(metric)
    return th.NO_BAND if entry is None else entry.band_of(value, placement=placement)


class _Context:
    """Where the sensor was worn and how fast the runner ran (``summary["context"]``)."""

    def __init__(self, summary: Mapping):
        ctx = summary.get("context") if isinstance(summary.get("context"), Mapping) else {}
        self.placement = _placement.normalise(ctx.get("placement")) or _placement.ASSUMED
        speed = ctx.get("speed_mps")
        self.speed_mps = float(speed) if finite(speed) else None
        self.expected_cadence = _speed.expected_cadence_spm(self.speed_mps)
        self.where = _placement.words(self.placement)

    @property
    def speed_text(self) -> str:
        return f"{round(3.6 * self.speed_mps, 2):g} km/h" if self.speed_mps is not None else "unknown"

    def soften(self, severity: str | None) -> str | None:
        """Speed-dependent flags without a speed: at most mild."""
        return MILD if severity == MARKED and self.speed_mps is None else severity

    def unknown_speed_clause(self) -> str:
        return "" if self.speed_mps is not None else (" runform does not know your speed (give --speed-kmh); it "
                                                      "grows with speed, so a faster run reads higher.")

    def limits(self, metric: str) -> tuple[float, float] | None:
        """(mild, marked) from the orange and red bands that hold at this placement (None: no band)."""
        band_ = catalogue.metric(metric).band_for(self.placement)
        if band_ is None:
            return None
        edges, colours = band_.edges, band_.colours
        return edges[colours.index(th.ORANGE) - 1], edges[colours.index(th.RED) - 1]

    def above_band(self, metric: str, value) -> tuple[str, float] | None:
        """(severity, limit) where ``value`` reaches the orange or red band of ``metric`` at this placement;
        None where it does not, where no band holds there, or where the value is missing."""
        limits = self.limits(metric)
        if not finite(value) or limits is None:
            return None
        severity, limit = _high(value, limits)
        return None if severity is None else (severity, limit)

    def band_source(self, metric: str, value: float) -> str:
        band_ = catalogue.metric(metric).band_for(self.placement)
        return f"{band_.source}: {band(metric, value, self.placement)} band"


# ---------------------------------------------------------------------------------------
# flag builders
# ---------------------------------------------------------------------------------------
def _flag(code, severity, metric, value, threshold, source, message, advice) -> dict:
    return {"code": code, "severity": severity, "metric": metric,
            "value": None if value is None else round(float(value), 2),
            "threshold": round(float(threshold), 2), "source": source,
            "message": message, "advice": advice}


def _high(value, limits) -> tuple[str | None, float]:
    """Severity when value >= mild/marked limit (limits ascending)."""
    mild, marked = limits
    if value >= marked:
        return MARKED, marked
    if value >= mild:
        return MILD, mild
    return None, mild


def _low(value, limits) -> tuple[str | None, float]:
    """Severity when value < mild/marked limit (limits descending)."""
    mild, marked = limits
    if value < marked:
        return MARKED, marked
    if value < mild:
        return MILD, mild
    return None, mild


def _metric_flag(code, running, metric, limits, compare, source, message, advice) -> dict | None:
    """A flag on one summary value: ``compare`` (``_high``/``_low``) against (mild, marked) ``limits``.

    ``source``: text, or a function of the value; ``message``: function of (value, severity)."""
    value = running.get(metric)
    if not finite(value):
        return None
    severity, limit = compare(value, limits)
    if severity is None:
        return None
    return _flag(code, severity, metric, value, limit, source if isinstance(source, str) else source(value),
                 message(value, severity), advice)


_BOUNCY_ADVICE = "Run 'quiet': think of moving forward rather than up, with quicker, lighter steps."


def _garmin_data(ctx: _Context, metric: str) -> str:
    family = _placement.band_family(metric, ctx.placement)
    return "Garmin's waist-pod data" if family == "rdp" else "Garmin's chest-strap data"


def _bouncy(running, ctx: _Context) -> dict | None:
    """Bounce per metre travelled (vertical ratio) with a speed; else the bounce itself, softened."""
    vr, vo, sl = running.get("vertical_ratio_pct"), running.get("vertical_oscillation_cm"), running.get("step_length_m")
    if finite(vr) and finite(vo) and finite(sl) and ctx.limits("vertical_ratio_pct") is not None:
        judged = ctx.above_band("vertical_ratio_pct", vr)
        if judged is None:
            return None
        severity, limit = judged
        return _flag("bouncy_gait", severity, "vertical_ratio_pct", vr, limit,
                     f"{ctx.band_source('vertical_ratio_pct', vr)}; at your speed of {ctx.speed_text}",
                     f"Your {ctx.where} rose and fell {vo:.1f} cm for every {sl:.2f} m step at {ctx.speed_text}: "
                     f"a vertical ratio of {vr:.1f} %, higher than {100 - (30 if severity == MILD else 5)} % of "
                     f"runners in {_garmin_data(ctx, 'vertical_ratio_pct')}.", _BOUNCY_ADVICE)
    judged = ctx.above_band("vertical_oscillation_cm", vo)
    if judged is None:
        return None
    severity, limit = judged
    pct = 100 - (30 if severity == MILD else 5)
    return _flag("bouncy_gait", ctx.soften(severity), "vertical_oscillation_cm", vo, limit,
                 f"{ctx.band_source('vertical_oscillation_cm', vo)}; any speed",
                 f"Your {ctx.where} moved up and down {vo:.1f} cm per step, more than {pct} % of runners in "
                 f"{_garmin_data(ctx, 'vertical_oscillation_cm')} at any speed.{ctx.unknown_speed_clause()}",
                 _BOUNCY_ADVICE)


_HARD_LANDING_ADVICE = "Land softly under your hips with a slightly bent knee, as if running on thin ice."


def _hard_landing(running) -> dict | None:
    """The more severe of the two impact measures: peak vertical specific force and heel-strike transient."""
    found = [f for f in (
        _metric_flag("hard_landing", running, "impact_g", th.HARD_LANDING_G, _high, th.HEURISTIC_SOURCE_IMPACT,
                     lambda g, _: f"Your trunk took {g:.1f} g at each landing (typical easy running: 2-2.5 g; "
                                  "runform's limit, no published norm).",
                     _HARD_LANDING_ADVICE),
        _metric_flag("hard_landing", running, "impact_transient_g", th.HARD_LANDING_TRANSIENT_G, _high,
                     th.HEURISTIC_SOURCE_TRANSIENT,
                     lambda g, _: f"Each landing jolted your trunk with a sharp {g:.1f} g spike on top of the "
                                  "smooth bounce, in the first 60 ms after the foot struck (runform's limit, no "
                                  "published norm).",
                     _HARD_LANDING_ADVICE)) if f is not None]
    return min(found, key=lambda f: (_SEVERITY_ORDER[f["severity"]], -f["value"] / f["threshold"]), default=None)


_CADENCE_ADVICE = "Try 5-10 % more steps per minute at the same pace, e.g. with a metronome (Heiderscheit et al. 2011)."


def cadence_limits(ctx: _Context) -> tuple[float, float]:
    """(mild, marked) low-cadence limits: 5 % and 10 % below what beginners choose at the runner's speed
    (``analysis.speed``; 5-10 % is the increase Heiderscheit et al. 2011 tested), else Garmin's orange and
    red cadence bands (any speed)."""
    e = ctx.expected_cadence
    if e is not None:
        return th.SPEED_CADENCE_FRACTIONS[0] * e, th.SPEED_CADENCE_FRACTIONS[1] * e
    return th.LOW_CADENCE_SPM


def _low_cadence(running, ctx: _Context) -> dict | None:
    cadence = running.get("cadence_spm")
    if not finite(cadence):
        return None
    severity, limit = _low(cadence, cadence_limits(ctx))
    if severity is None:
        return None
    e = ctx.expected_cadence
    if e is not None:
        return _flag("low_cadence", severity, "cadence_spm", cadence, limit,
                     f"{_speed.VAN_OEVEREN_2017}: beginners choose {e:.0f} steps/min at {ctx.speed_text}; "
                     f"{'5' if severity == MILD else '10'} % below it",
                     f"Your cadence of {cadence:.0f} steps/min is low for your speed of {ctx.speed_text}: beginners "
                     f"choose about {e:.0f}. A low cadence usually means long strides landing ahead of the body "
                     "(overstriding).", _CADENCE_ADVICE)
    speed_note = ("" if ctx.speed_mps is None else
                  f" Your speed of {ctx.speed_text} is outside the range a published cadence-speed relation covers.")
    return _flag("low_cadence", ctx.soften(severity), "cadence_spm", cadence, limit,
                 f"{ctx.band_source('cadence_spm', cadence)}; any speed",
                 f"Your cadence of {cadence:.0f} steps/min is low compared with runners at any speed in Garmin's "
                 "data, which usually means long strides landing ahead of the body (overstriding)."
                 + (ctx.unknown_speed_clause().replace("it grows", "cadence grows").replace("reads higher", "has a higher cadence") or speed_note),
                 _CADENCE_ADVICE)


def _long_contact(running, ctx: _Context) -> dict | None:
    gct = running.get("ground_contact_ms")
    judged = ctx.above_band("ground_contact_ms", gct)
    if judged is None:
        return None
    severity, limit = judged
    return _flag("long_ground_contact", ctx.soften(severity), "ground_contact_ms", gct, limit,
                 f"{ctx.band_source('ground_contact_ms', gct)}; any speed",
                 f"Each foot stayed on the ground {gct:.0f} ms per step, longer than most runners in Garmin's data "
                 f"at any speed (slow jogging lengthens contact too; your speed: {ctx.speed_text}).",
                 "Think 'hot coals': quick, light contacts with the foot landing under the body.")


def _side_noise_pct(run: dict[str, np.ndarray], key: str) -> float | None:
    """Standard error (percentage points) from the steps' scatter of the contact-time balance
    (``key`` = "ground_contact_ms") or of the symmetry index of another step column."""
    if not run:
        return None
    side = run["side"].astype(str)
    left, right = run[key][side == "L"], run[key][side == "R"]
    if np.isfinite(left).sum() < 2 or np.isfinite(right).sum() < 2:
        return None
    ml, mr, sl, sr = np.nanmedian(left), np.nanmedian(right), median_se(left), median_se(right)
    if key == "ground_contact_ms":
        return float(100.0 * np.hypot(mr * sl, ml * sr) / (ml + mr) ** 2)
    return float(100.0 * np.hypot(sl, sr) / (0.5 * (ml + mr)))


def _asymmetry(running, run, ctx: _Context) -> dict | None:
    balance = running.get("gct_balance_left_pct")
    if finite(balance) and ctx.limits("ground_contact_ms") is not None:
        deviation = abs(balance - 50.0)
        noise = _side_noise_pct(run, "ground_contact_ms")
        severity, limit = _high(deviation, th.BALANCE_DEVIATION_PCT)
        beyond_noise = noise is None or deviation > th.ASYMMETRY_NOISE_Z * noise
        if severity is not None and beyond_noise:
            heavier = "left" if balance > 50.0 else "right"
            return _flag("asymmetry", severity, "gct_balance_left_pct", balance,
                         50.0 + limit if balance > 50 else 50.0 - limit,
                         f"{th.GARMIN_BALANCE_SOURCE}: red band; beyond "
                         f"{th.ASYMMETRY_NOISE_Z:g} SE of your own step-to-step scatter",
                         f"Your {heavier} foot stayed on the ground longer: contact-time balance "
                         f"{balance:.1f} % left (50 % is even; compared with Garmin's balance band and with "
                         "your own step-to-step scatter).",
                         "Check for a niggle or a habit on that side, and try to make both "
                         "footfalls sound the same.")
    asym = running.get("step_time_asymmetry_pct")
    from_strikes = running.get("step_time_reference", STRIKE_REFERENCE) == STRIKE_REFERENCE
    if finite(asym) and from_strikes:
        severity, limit = _high(abs(asym), th.STEP_TIME_ASYMMETRY_PCT)
        noise = _side_noise_pct(run, "step_time_s")
        if severity is not None and (noise is None or abs(asym) > th.ASYMMETRY_NOISE_Z * noise):
            return _flag("asymmetry", severity, "step_time_asymmetry_pct", asym, limit,
                         f"{th.ASYMMETRY_SOURCE_STEP_TIME}; beyond {th.ASYMMETRY_NOISE_Z:g} SE of your "
                         "own step-to-step scatter",
                         f"Your left and right steps differed in duration by {abs(asym):.1f} %, "
                         f"a limp-like rhythm (compared with runform's limit of {limit:.0f} %, no published "
                         "norm, and with your own step-to-step scatter).",
                         "Run to an even beat (a metronome helps) and note whether one side feels "
                         "different.")
    return None


def _trunk_rotation(summary, running) -> dict | None:
    if not summary.get("has_gyro"):
        return None
    return _metric_flag(
        "excess_trunk_rotation", running, "trunk_rotation_deg", th.TRUNK_ROTATION_DEG, _high,
        th.HEURISTIC_SOURCE_ROTATION,
        lambda rotation, _: f"Your upper body twisted through {rotation:.0f} degrees each stride, "
                            "often a sign of arms swinging across the body (runform's limit, no published norm).",
        "Keep shoulders relaxed and down, and swing the arms forward and back, not across your chest.")


def _fade_candidates(trend: Mapping):
    """(metric, rise %, its standard error %, (mild, marked) limits, adjusted for) of every fade measure:
    the cadence-adjusted rises, and with a known speed the vertical ratio's rise and the cadence's fall
    beyond what the speed change predicts."""
    change = trend.get("cadence_adjusted_change_pct") or {}
    noise = trend.get("noise_pct") or {}
    for metric, limits in th.FADE_RISE_PCT.items():
        yield metric, change.get(metric), noise.get(metric), limits, "cadence"
    speed = trend.get("speed")
    if isinstance(speed, Mapping) and trend.get("speed_adjusted"):
        change = speed.get("speed_adjusted_change_pct") or {}
        noise = speed.get("noise_pct") or {}
        for metric, limits in th.FADE_SPEED_RISE_PCT.items():
            yield metric, change.get(metric), noise.get(metric), limits, "speed"
        fall = change.get("cadence_spm")
        yield "cadence_spm", -fall if finite(fall) else None, noise.get("cadence_spm"), th.FADE_CADENCE_FALL_PCT, "speed"


def _form_fades(trend) -> dict | None:
    if not isinstance(trend, Mapping):
        return None
    worst = None  # (score, severity, metric, value, limit, adjusted for)
    for metric, rise, se, limits, adjusted in _fade_candidates(trend):
        if not finite(rise):
            continue
        if finite(se) and rise <= th.FADE_NOISE_Z * se:
            continue
        severity, limit = _high(rise, limits)
        if severity is None:
            continue
        score = rise / limits[0]
        if worst is None or score > worst[0]:
            worst = (score, severity, metric, rise, limit, adjusted)
    if worst is None:
        return None
    _, severity, metric, rise, limit, adjusted = worst
    label = catalogue.metric(metric).label.lower()
    n = trend.get("intervals")
    if n:
        source = th.FADE_INTERVAL_SOURCE.format(n=n)
        span = f"first to the last of your {n} run intervals"
    else:
        window = float(trend.get("window_s") or th.FADE_WINDOW_S)
        source = th.FADE_SOURCE.format(w=window)
        span = f"first to the last {window / 60:.0f} minutes of running"
    speed = trend.get("speed") if trend.get("speed_adjusted") else None
    if speed is None:
        source += "; " + th.FADE_NO_SPEED_SOURCE
        speed_words = " Your speed is unknown, so this is not adjusted for speed."
    else:
        source += "; " + th.FADE_SPEED_SOURCE
        speed_words = (f" Your speed went from {3.6 * speed['first_mps']:.1f} to {3.6 * speed['last_mps']:.1f} km/h; "
                       "this is beyond what that change explains.")
    if adjusted == "speed" and metric == "cadence_spm":
        what = (f"Your cadence fell {rise:.0f} % from the {span}, more than the change in speed explains "
                "(compared with your own start): longer, tiring strides.")
        metric_key = "cadence_fall_beyond_speed_pct"
    elif adjusted == "speed":
        what = (f"Your {label} rose {rise:.0f} % from the {span}, more than the change in speed explains "
                "(compared with your own start): your form faded as you tired.")
        metric_key = f"{metric}_beyond_speed_pct"
    else:
        what = (f"Your {label} rose {rise:.0f} % from the {span} at the same cadence (compared with your "
                "own start): your form faded as you tired.")
        metric_key = f"{metric}_change_pct"
    return _flag("form_fades", severity, metric_key, rise, limit, source, what + speed_words,
                 "Slow down or walk a little sooner when form goes, and build up running time "
                 "gradually.")


def _jarring_limits(ctx: _Context, with_ratio: bool) -> tuple[str | None, float | None, float]:
    """(bounce metric, its "high" limit, the "slow cadence" limit) of the jarring conditions: vertical
    ratio with a speed, else the bounce, at the orange band of the placement (no bounce condition where no
    band holds); cadence below the speed's mild limit, else Garmin's orange band."""
    metric = "vertical_ratio_pct" if with_ratio else "vertical_oscillation_cm"
    limits = ctx.limits(metric)
    return (metric if limits else None), (limits[0] if limits else None), cadence_limits(ctx)[0]


def _jarring_share(run: dict[str, np.ndarray], ctx: _Context) -> tuple[float, float] | None:
    """% of run steps with >= 2 and with all (3, or 2 without a bounce band) jarring conditions."""
    if not run or run["time_s"].size < th.MIN_RUN_STEPS:
        return None

    def smooth(key):
        return smooth_over_steps(run[key], th.JARRING_SMOOTHING_STEPS)

    hard = smooth("impact_g") >= th.JARRING_IMPACT_G
    if "impact_transient_g" in run:
        hard |= smooth("impact_transient_g") >= th.JARRING_TRANSIENT_G
    with_ratio = "vertical_ratio_pct" in run and np.isfinite(run["vertical_ratio_pct"]).any()
    bounce, bounce_limit, cadence_limit = _jarring_limits(ctx, with_ratio)
    conditions = [hard, smooth("cadence_spm") < cadence_limit]
    if bounce is not None:
        conditions.insert(0, smooth(bounce) >= bounce_limit)
    conditions = np.stack(conditions)
    count = conditions.sum(axis=0)
    return (100.0 * float(np.mean(count >= th.JARRING_MIN_CONDITIONS)),
            100.0 * float(np.mean(count == conditions.shape[0])))


def _jarring(running, run, ctx: _Context) -> dict | None:
    shares = _jarring_share(run, ctx)
    with_ratio = finite(running.get("vertical_ratio_pct"))
    bounce, bounce_limit, cadence_limit = _jarring_limits(ctx, with_ratio)
    if shares is not None:
        any_two, all_three = shares
    else:  # no step table: judge the session medians
        met = [(finite(running.get("impact_g")) and running["impact_g"] >= th.JARRING_IMPACT_G)
               or (finite(running.get("impact_transient_g"))
                   and running["impact_transient_g"] >= th.JARRING_TRANSIENT_G),
               finite(running.get("cadence_spm")) and running["cadence_spm"] < cadence_limit]
        if bounce is not None:
            met.append(finite(running.get(bounce)) and running[bounce] >= bounce_limit)
        any_two = 100.0 if sum(met) >= th.JARRING_MIN_CONDITIONS else 0.0
        all_three = 100.0 if all(met) else 0.0
    if any_two < th.JARRING_PERSISTENCE_PCT:
        return None
    severity = ctx.soften(MARKED if all_three >= th.JARRING_PERSISTENCE_PCT else MILD)
    bounce_text = ("no bounce band holds for a sensor at the " + ctx.where if bounce is None else
                   f"bounce per metre (vertical ratio) >= {bounce_limit:.1f} %" if bounce == "vertical_ratio_pct"
                   else f"bounce >= {bounce_limit:.1f} cm")
    compared = (f"compared with: {bounce_text}; cadence < {cadence_limit:.0f} steps/min "
                + (f"(5 % below beginners at {ctx.speed_text})" if ctx.expected_cadence is not None
                   else "(Garmin's orange band, any speed)") + "; impact above runform's hard-landing limit")
    return _flag("jarring_gait", severity, "jarring_steps_pct", any_two,
                 th.JARRING_PERSISTENCE_PCT, f"{th.JARRING_SOURCE}; {compared}",
                 f"In {any_two:.0f} % of your running steps you bounced high, landed hard or "
                 "stepped slowly, at least two of them together: a jarring gait that shakes the "
                 f"upper body ({compared}).{ctx.unknown_speed_clause().replace(' it grows', ' bounce grows')}",
                 "Take quicker, shorter, quieter steps (5-10 % more steps per minute), keep the "
                 "shoulders relaxed, and check again next run.")


# ---------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------
def _enough_running(running, run) -> bool:
    if not isinstance(running, Mapping):
        return False
    seconds, count = running.get("seconds"), running.get("steps")
    if not finite(seconds) or not finite(count):
        return False
    if seconds < th.MIN_RUNNING_S or count < th.MIN_RUN_STEPS:
        return False
    return not run or run["time_s"].size >= th.MIN_RUN_STEPS


def evaluate_flags(summary: Mapping, steps: Mapping[str, np.ndarray] | None) -> list[dict]:
    """Running-form flags for one session (schema: module docstring).

    Returns [] when the session has less than ``MIN_RUNNING_S`` s or ``MIN_RUN_STEPS`` steps of
    running. Raises ``InputError`` for a summary that is not a dict or a step table without the
    required columns.
    """
    if not isinstance(summary, Mapping):
        raise InputError("summary", "summary must be a dict (runform.summary/1)")
    running = summary.get("running")
    run = run_steps(steps)
    if not _enough_running(running, run):
        return []
    trend = running.get("trend")
    if not (isinstance(trend, Mapping) and trend.get("cadence_adjusted_change_pct")):
        trend = session_trend(steps)
    ctx = _Context(summary)
    candidates = [_jarring(running, run, ctx), _bouncy(running, ctx), _hard_landing(running),
                  _low_cadence(running, ctx), _long_contact(running, ctx), _asymmetry(running, run, ctx),
                  _trunk_rotation(summary, running), _form_fades(trend)]
    flags = [f for f in candidates if f is not None]
    headline = [f for f in flags if f["code"] == "jarring_gait"]
    rest = sorted((f for f in flags if f["code"] != "jarring_gait"),
                  key=lambda f: _SEVERITY_ORDER[f["severity"]])
    return headline + rest


def jarring_steps_pct(steps: Mapping[str, np.ndarray] | None, summary: Mapping | None = None) -> float | None:
    """% of running steps with at least two of the three jarring conditions (the ``jarring_gait``
    flag's own measure, whether or not the flag is raised); None with too few running steps.
    ``summary``: its ``context`` (placement, speed) sets the conditions as for the flag."""
    shares = _jarring_share(run_steps(steps), _Context(summary or {}))
    return None if shares is None else shares[0]
