"""Live form cues: a short visible (optionally audible) cue when the jarring pattern persists.

The per-step rule is the one behind the ``jarring_gait`` flag (``analysis.flags``, thresholds and
sources in ``analysis/_thresholds.py``): a run step is jarring when at
least ``JARRING_MIN_CONDITIONS`` of {VO high, impact high, cadence low} hold on a running median over
``JARRING_SMOOTHING_STEPS`` steps. Live deviation: instead of a share of the whole session, the cue
shows once the last ``persist_steps`` run steps are all jarring, and clears when they no longer are.
Text example: ``"bouncing: 11 cm — shorter, quicker steps"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _thresholds as th
from ._preset import ShortRepr
from ._sliding import smooth_over_steps
from .catalogue import metric

#: (words, metric, advice) in the order the cue names them; the value is shown at the catalogue's
#: unit and one decimal fewer than its display precision (a cue is read at a glance while running)
_CONDITIONS = (
    ("bouncing", metric("vertical_oscillation_cm"), "shorter, quicker steps"),
    ("landing hard", metric("impact_g"), "land softly under your hips"),
    ("slow steps", metric("cadence_spm"), "quicker, shorter steps"),
)
BELL = "\a"


@dataclass(frozen=True, repr=False)
class CuePreset(ShortRepr):
    persist_steps: int = 8  # this many consecutive jarring run steps before the cue shows
    repeat_s: float = 60.0  # a cue that stays on is announced again (bell) at most this often
    stale_s: float = 3.0  # no run step for this long (walking, standing, a gap): the cue clears


CUE_DEFAULT = CuePreset()


@dataclass
class Cue:
    """One cue: ``text`` to show, ``start_s`` (stream time it appeared), the medians it quotes."""

    text: str
    start_s: float
    values: dict = field(default_factory=dict)


def _jarring_steps(run: dict[str, np.ndarray]) -> np.ndarray:
    """Per run step: True when >= JARRING_MIN_CONDITIONS hold on the smoothed metrics (as in flags)."""

    def smooth(key):
        return smooth_over_steps(run[key], th.JARRING_SMOOTHING_STEPS)

    cond = np.stack([smooth("vertical_oscillation_cm") >= th.JARRING_VO_CM, smooth("impact_g") >= th.JARRING_IMPACT_G,
                     smooth("cadence_spm") < th.JARRING_CADENCE_SPM])
    return cond.sum(axis=0) >= th.JARRING_MIN_CONDITIONS


def cue_text(values: dict) -> str | None:
    """``"bouncing: 11 cm — shorter, quicker steps"`` for the conditions the medians in ``values`` meet."""
    met = [values.get("vertical_oscillation_cm", np.nan) >= th.JARRING_VO_CM,
           values.get("impact_g", np.nan) >= th.JARRING_IMPACT_G,
           values.get("cadence_spm", np.nan) < th.JARRING_CADENCE_SPM]
    parts = [condition for condition, holds in zip(_CONDITIONS, met) if holds]
    if not parts:
        return None
    head = ", ".join(f"{words}: {m.format(values[m.key], max(m.decimals - 1, 0))}" for words, m, _ in parts)
    return f"{head} — {parts[0][2]}"


class CueTracker:
    """Follows the newest run steps; ``update(steps, now_s)`` returns a cue to announce, else None.

    ``steps``: the recent per-step table (``STEP_COLUMNS`` arrays, oldest first). ``active`` is the cue
    shown now (None when the pattern is gone); ``history`` every announced cue."""

    def __init__(self, preset: CuePreset = CUE_DEFAULT) -> None:
        self.preset = preset
        self.active: Cue | None = None
        self.history: list[Cue] = []
        self._announced_s = -np.inf

    def update(self, steps: dict[str, np.ndarray], now_s: float) -> Cue | None:
        preset = self.preset
        run_sel = np.flatnonzero(steps["bout_kind"] == th.RUN_KIND)
        need = preset.persist_steps + th.JARRING_SMOOTHING_STEPS
        idx = run_sel[-need:]
        if idx.size < preset.persist_steps or now_s - steps["time_s"][idx[-1]] > preset.stale_s:
            self.active = None
            return None
        run = {k: steps[k][idx] for k in ("vertical_oscillation_cm", "impact_g", "cadence_spm")}
        if not _jarring_steps(run)[-preset.persist_steps:].all():
            self.active = None
            return None
        # a metric may be NaN for the newest steps (a stance touching a short gap): left out, not a warning
        values = {k: float(np.nanmedian(v[-preset.persist_steps:])) for k, v in run.items()
                  if np.isfinite(v[-preset.persist_steps:]).any()}
        text = cue_text(values) or "jarring steps — shorter, quicker steps"
        new = self.active is None
        self.active = Cue(text, now_s if new else self.active.start_s, values)
        if new or now_s - self._announced_s >= preset.repeat_s:
            self._announced_s = now_s
            cue = Cue(text, now_s, values)
            self.history.append(cue)
            return cue
        return None
