"""Where the sensor is worn, and which published bands and words hold there.

Placements: ``chest`` (a chest strap: Polar H10, Garmin HRM), ``upper_back`` (a strap or a vest pocket
between the shoulder blades), ``waist`` (the back of the waistband, Garmin's Running Dynamics Pod),
``sacrum`` (lower back), ``hip`` (the side of the hip, a phone or an activity monitor in a belt clip) and
``neck_pouch`` (a phone hanging in a pouch in front of the chest). They come from ``--mount``, else the
recording's metadata (importers and recorders fill ``Metadata.placement``), else they are unknown and
the recording is judged as a chest strap, which the summary says.

Garmin publishes separate vertical-oscillation and vertical-ratio bands for its chest strap (HRM) and its
waist pod (RDP); cadence and ground-contact bands are the same for both (Garmin Forerunner 945 owner's
manual, colour gauge; the table is in docs/METRICS.md). So:
the HRM bands hold at the chest and the upper back (the same height on the trunk), the RDP bands at the
waist and the sacrum; cadence holds anywhere (a step count); ground contact and contact-time balance
hold on the trunk's midline (chest, upper back, waist, sacrum). At the side of the hip and in a swinging
neck pouch no published band holds for bounce, ground contact or balance: they are shown without one.
"""

from __future__ import annotations

PLACEMENTS = ("chest", "upper_back", "waist", "sacrum", "hip", "neck_pouch")
#: what the importers and recorders write, and other common words, mapped to a placement
ALIASES = {
    "back": "upper_back", "upper back": "upper_back", "upperback": "upper_back", "thorax": "chest",
    "lower_back": "sacrum", "lower back": "sacrum", "lowerback": "sacrum", "pelvis": "sacrum",
    "belt": "waist", "waistband": "waist", "neck": "neck_pouch", "neckpouch": "neck_pouch",
    "neck pouch": "neck_pouch", "pouch": "neck_pouch", "pocket": "hip",
}
#: how a message names the placement ("... of your chest")
WORDS = {"chest": "chest", "upper_back": "upper back", "waist": "waist", "sacrum": "lower back (sacrum)",
         "hip": "hip", "neck_pouch": "neck pouch"}
#: the band family that holds per metric: "hrm" (Garmin chest strap), "rdp" (Garmin waist pod), "any"
#: (the same published band for every trunk sensor), or absent (no band holds there)
_TRUNK_MIDLINE = ("chest", "upper_back", "waist", "sacrum")
BAND_FAMILY = {
    "cadence_spm": {place: "any" for place in PLACEMENTS},
    "ground_contact_ms": {place: "any" for place in _TRUNK_MIDLINE},
    "gct_balance_left_pct": {place: "any" for place in _TRUNK_MIDLINE},
    "vertical_oscillation_cm": {"chest": "hrm", "upper_back": "hrm", "waist": "rdp", "sacrum": "rdp"},
    "vertical_ratio_pct": {"chest": "hrm", "upper_back": "hrm", "waist": "rdp", "sacrum": "rdp"},
}
#: judged as this when the placement is unknown (runform is made for chest straps)
ASSUMED = "chest"
#: where a context value came from: ``summary["context"]``'s ``placement_source`` (given, from the
#: recording, or assumed) and ``speed_source`` (given, from the recording, or a track's or footpod's name)
SOURCE_GIVEN, SOURCE_RECORDING, SOURCE_ASSUMED = "given", "recording", "assumed"
#: how the CLI and the report say where the placement came from
SOURCE_WORDS = {SOURCE_GIVEN: "given", SOURCE_RECORDING: "from the recording",
                SOURCE_ASSUMED: "assumed: not in the recording"}


def normalise(text: str | None) -> str | None:
    """A placement name from free text ("back" -> "upper_back"); None when unknown."""
    if not text:
        return None
    key = str(text).strip().lower().replace("-", "_")
    if key in PLACEMENTS:
        return key
    return ALIASES.get(key, ALIASES.get(key.replace("_", " ")))


def band_family(metric: str, placement: str | None) -> str | None:
    """The band family of ``metric`` at ``placement`` (None: no published band holds there); a metric
    not listed keeps its one band everywhere ("any")."""
    families = BAND_FAMILY.get(metric)
    if families is None:
        return "any"
    return families.get(placement or ASSUMED)


def words(placement: str | None) -> str:
    return WORDS.get(placement or ASSUMED, "trunk")
