"""Flag thresholds and colour bands, each with its source.

Units: cadence spm, vertical oscillation cm, ground contact ms, impact g (peak vertical specific
force of the trunk during stance, bounce-level low-pass), trunk rotation deg (yaw range per
stride), balance % left, asymmetry %.

Colour bands: Garmin's percentile gauge for the chest-strap HRM (Garmin Forerunner 945 manual,
Japanese edition, "colour gauge"; GCT balance: Garmin Enduro 3 manual, "GCT balance"); the
tables are copied in docs/METRICS.md ("Flag thresholds"). Garmin publishes rounded
ranges (cadence 164-173 spm, VO 8.2-9.7 cm, ...); the edges here sit halfway between two
published ranges, so a value that Garmin would round into a band falls into the same band here
(cadence 163.5 spm -> green, like Garmin's 164). A chest strap measures trunk bounce, about
1.6-1.8 cm above centre-of-mass VO (Watari et al. 2016), and so does Garmin's HRM: the HRM column
is the right one for us, the waist-pod (RDP) column is not.

The bands are population percentiles, not injury cut-offs; every flag built on them is a form
cue. Impact and trunk-rotation thresholds have no published norm for the upper trunk: they are
heuristics of this project, to be tuned (docs/METRICS.md, "Flag thresholds").

References
----------
Garmin. Forerunner 945 owner's manual, Japanese edition ("colour gauge"); Enduro 3 owner's manual
("GCT balance").
Watari R, Hettinga B, Osis S, Ferber R (2016). Validation of a torso-mounted accelerometer for
measures of vertical oscillation and ground contact time during treadmill running. J Appl Biomech
32:306-310. doi:10.1123/jab.2015-0200
Kiernan D, Ng B, Hawkins DA (2023). Acceleration-based estimation of vertical ground reaction forces
during running. Sensors 23(21):8719. doi:10.3390/s23218719
Robinson RO, Herzog W, Nigg BM (1987). Use of force platform variables to quantify the effects of
chiropractic manipulation on gait symmetry. J Manipulative Physiol Ther 10(4):172-176.
Preece SJ, Mason D, Bramah C (2016). The coordinated movement of the spine and pelvis during
running. Hum Mov Sci 45. doi:10.1016/j.humov.2015.11.014
Zandbergen MA, Buurke JH, Veltink PH, Reenalda J (2023). Quantifying and correcting for speed and
stride frequency effects on running mechanics in fatiguing outdoor running. Front Sports Act Living
5:1085513.
"""

from __future__ import annotations

# --- colour names -------------------------------------------------------------------------
PURPLE, BLUE, GREEN, ORANGE, RED = "purple", "blue", "green", "orange", "red"
NO_BAND = "none"  # metric without a published band, or value missing

# --- Garmin HRM colour bands: ascending edges and the colour of each interval ------------
# (len(colours) == len(edges) + 1; a value equal to an edge belongs to the upper interval)
GARMIN_HRM_SOURCE = (
    "Garmin chest-strap (HRM) colour gauge, Forerunner 945 owner's manual"
)
GARMIN_BALANCE_SOURCE = (
    "Garmin GCT balance gauge, Enduro 3 owner's manual"
)
BANDS: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {
    # purple > 183, blue 174-183, green 164-173, orange 153-163, red < 153 spm
    "cadence_spm": ((152.5, 163.5, 173.5, 183.5), (RED, ORANGE, GREEN, BLUE, PURPLE)),
    # purple < 218, blue 218-248, green 249-277, orange 278-308, red > 308 ms
    "ground_contact_ms": ((217.5, 248.5, 277.5, 308.5), (PURPLE, BLUE, GREEN, ORANGE, RED)),
    # HRM: purple < 6.4, blue 6.4-8.1, green 8.2-9.7, orange 9.8-11.5, red > 11.5 cm
    "vertical_oscillation_cm": ((6.35, 8.15, 9.75, 11.55), (PURPLE, BLUE, GREEN, ORANGE, RED)),
    # HRM: purple < 6.1, blue 6.1-7.4, green 7.5-8.6, orange 8.7-10.1, red > 10.1 %
    "vertical_ratio_pct": ((6.05, 7.45, 8.65, 10.15), (PURPLE, BLUE, GREEN, ORANGE, RED)),
}
# Garmin's waist pod (RDP, worn at the small of the back) reads more bounce; its own VO and VR columns:
# VO purple < 6.8, blue 6.8-8.9, green 9.0-10.9, orange 11.0-13.0, red > 13.0 cm;
# VR purple < 6.5, blue 6.5-8.3, green 8.4-10.0, orange 10.1-11.9, red > 11.9 %
GARMIN_RDP_SOURCE = "Garmin waist-pod (RDP) colour gauge, Forerunner 945 owner's manual"
RDP_BANDS: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {
    "vertical_oscillation_cm": ((6.75, 8.95, 10.95, 13.05), (PURPLE, BLUE, GREEN, ORANGE, RED)),
    "vertical_ratio_pct": ((6.45, 8.35, 10.05, 11.95), (PURPLE, BLUE, GREEN, ORANGE, RED)),
}
# GCT balance is banded on the distance from 50 %: green up to 50.7 % either side,
# orange 50.8-52.2 %, red > 52.2 %.
BALANCE_METRIC = "gct_balance_left_pct"
BALANCE_EDGES_FROM_50 = (0.75, 2.25)
BALANCE_COLOURS = (GREEN, ORANGE, RED)

# --- which steps count -----------------------------------------------------------------
RUN_KIND = "run"  # only steps in bouts of this kind raise running flags
MIN_RUNNING_S = 30.0  # per running bout >= 30 s (heuristic of this project, see docs/METRICS.md)
MIN_RUN_STEPS = 40  # fewer run steps than this: no running flags at all

# --- single-metric flags: (mild, marked) --------------------------------------------------
# low_cadence at a known speed: below these fractions of the cadence beginners choose at that speed
# (analysis.speed, van Oeveren et al. 2017): 5 % and 10 %, the size of the increase Heiderscheit et al.
# 2011 tested (doi:10.1249/MSS.0b013e3181ebedf4)
SPEED_CADENCE_FRACTIONS = (0.95, 0.90)
# bouncy_gait: Garmin HRM orange (bottom 30 %) and red (bottom 5 %) VO; this project's heuristic
# guide rail is "> about 10 cm torso VO" (docs/METRICS.md).
BOUNCY_VO_CM = (9.75, 11.55)
# hard_landing: trunk peak vertical specific force, "> about 2.5-3 g after 8 Hz LP"
# (heuristic of this project, see docs/METRICS.md; typical trunk running values 2-3 g). No published trunk
# cut-off. Mild sits mid-range (2.75 g), not at 2.5 g, because a 20-25 Hz low-pass peak keeps part
# of the heel-strike transient: the simulator's "easy" profile (178 spm, 230 ms contact) has a
# 2.3 g spring-mass peak plus a 0.3 g transient and must stay unflagged.
HARD_LANDING_G = (2.75, 3.25)
# hard_landing, heel-strike transient (``impact_transient_g``: peak residual above the fitted
# spring-mass half-sine in the first 60 ms after the strike; measured only at >= 100 Hz). No
# published trunk norm (trunk impact measures are exploratory: Kiernan, Ng & Hawkins 2023,
# doi:10.3390/s23218719). Heuristic, set on the simulator: firmware_sim's transient peaks are 0.13 g
# ("easy", 0.3 g amplitude) and 0.22 g (default, 0.5 g) -> below; "c25k" 0.65 g (1.5 g) and
# "bouncy" 0.87 g (2 g) -> above; measured within -0.15..+0.11 g of the truth at 100 and 200 Hz
# (docs/METRICS.md).
HARD_LANDING_TRANSIENT_G = (0.45, 1.0)
# low_cadence: Garmin orange (< 164 spm, bottom 30 %) and red (< 153 spm, bottom 5 %).
LOW_CADENCE_SPM = (163.5, 152.5)
# long_ground_contact: Garmin orange (> 277 ms) and red (> 308 ms).
LONG_GCT_MS = (277.5, 308.5)
# asymmetry, contact-time balance: Garmin red ("poor", > 52.2 % either side) is mild; twice that
# distance from 50 % is marked (heuristic). Garmin's orange ("fair", half of all runners in the
# two orange bands) raises nothing.
BALANCE_DEVIATION_PCT = (2.25, 4.5)
# asymmetry, step time: |SI| below ~3-5 % is noise (heuristic of this project, docs/METRICS.md); 10 % is heuristic. Only
# when timed from the foot strikes: a step-time asymmetry timed from pulse centres (the two feet's
# stance pulses differ in shape, analysis._symmetry) raises no flag.
STEP_TIME_ASYMMETRY_PCT = (5.0, 10.0)
# A left/right difference must also exceed this many standard errors of the within-session
# step-to-step scatter (the runner's own baseline) to count.
ASYMMETRY_NOISE_Z = 2.0
# Standard error of a median = MEDIAN_SE_FACTOR * SD / sqrt(n) for normal data.
MEDIAN_SE_FACTOR = 1.2533
# excess_trunk_rotation: yaw range per stride. No published norm for the thorax in running
# (none found; pelvis-thorax counter-rotation: Preece, Mason & Bramah 2016,
# doi:10.1016/j.humov.2015.11.014); heuristic of this project (docs/METRICS.md): trunk swings
# simulated for this project span 16-24 deg, so 30 / 40 deg are well beyond a normal swing.
TRUNK_ROTATION_DEG = (30.0, 40.0)

HEURISTIC_SOURCE_IMPACT = (
    "runform heuristic: trunk peaks are typically 2-3 g; no published cut-off (trunk impact "
    "measures agree poorly with force plates, Kiernan, Ng & Hawkins 2023)"
)
HEURISTIC_SOURCE_TRANSIENT = (
    "runform heuristic set on its simulated runners (easy 0.13 g, bouncy 0.87 g); no published "
    "trunk norm"
)
HEURISTIC_SOURCE_ROTATION = (
    "runform heuristic: no published norm for thorax yaw in running"
)
ASYMMETRY_SOURCE_STEP_TIME = "Robinson symmetry index; |SI| under 3-5 % is treated as noise (runform heuristic)"

# --- jarring_gait (heuristic of this project, see docs/METRICS.md) --------------------------
# A run step counts as jarring when at least JARRING_MIN_CONDITIONS of {VO high, impact high,
# cadence low} hold together on a JARRING_SMOOTHING_STEPS running median; the flag fires when
# such steps are at least JARRING_PERSISTENCE_PCT of the run steps ("persistence: > 30 % of
# steps"). Marked when all three hold together in that share of steps.
JARRING_VO_CM = BOUNCY_VO_CM[0]
JARRING_IMPACT_G = HARD_LANDING_G[0]
JARRING_TRANSIENT_G = HARD_LANDING_TRANSIENT_G[0]  # "impact high": either impact measure
JARRING_CADENCE_SPM = LOW_CADENCE_SPM[0]
JARRING_MIN_CONDITIONS = 2
JARRING_PERSISTENCE_PCT = 30.0
JARRING_SMOOTHING_STEPS = 5
JARRING_SOURCE = (
    "runform heuristic: >= 2 of VO high, impact high, cadence low in > 30 % of running steps; "
    "VO and cadence limits from the Garmin HRM orange bands; impact high = peak or heel-strike "
    "transient above the hard_landing limits"
)

# --- form_fades: the runner's own early-run baseline (Zandbergen et al. 2023) --------------
FADE_MIN_RUNNING_S = 480.0  # enough running for two windows that do not touch
FADE_WINDOW_S = 120.0  # running time in the first and in the last window
FADE_MIN_WINDOW_STEPS = 60
# cadence-adjusted rise (% of the first window's median) that counts: (mild, marked)
FADE_RISE_PCT = {
    "vertical_oscillation_cm": (10.0, 20.0),
    "ground_contact_ms": (5.0, 10.0),
    "impact_g": (10.0, 20.0),
}
FADE_NOISE_Z = 2.0  # the rise must also exceed this many standard errors
# interval sessions (Couch-to-5K: 8 x 60 s runs never reach FADE_MIN_RUNNING_S of continuous-window
# running): with at least this many run bouts the first and the last run interval are compared instead
FADE_MIN_INTERVALS = 3
FADE_INTERVAL_SOURCE = (
    "your own baseline: first vs last of {n} run intervals, adjusted for cadence (Zandbergen et al. 2023)"
)
FADE_SOURCE = (
    "your own baseline: first vs last {w:.0f} s of running, adjusted for cadence "
    "(Zandbergen et al. 2023)"
)
# with the running speed known in both windows: what the speed change alone predicts (analysis.speed)
FADE_SPEED_SOURCE = (
    "adjusted for speed with the cadence-speed slope of van Oeveren et al. 2017 "
    "(doi:10.1371/journal.pone.0184273)"
)
FADE_NO_SPEED_SOURCE = "not adjusted for speed (speed unknown)"
# vertical ratio beyond the speed's prediction: the bounce limits, per metre travelled (mild, marked; %)
FADE_SPEED_RISE_PCT = {"vertical_ratio_pct": FADE_RISE_PCT["vertical_oscillation_cm"]}
# cadence falling beyond the speed's prediction (mild, marked; % of the first window's): the 5 and 10 %
# step-rate changes that measurably change loading (Heiderscheit et al. 2011, doi:10.1249/MSS.0b013e3181ebedf4)
FADE_CADENCE_FALL_PCT = (5.0, 10.0)
