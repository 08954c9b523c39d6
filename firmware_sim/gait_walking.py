"""Walking stance forces: inverted-pendulum gait with a double-hump vertical force and no flight.

Per foot (this project's model, docs/METRICS.md, "Simulator model"): ``F(u)/(m g) = A1 [sin(π u) + b sin(3π u)]`` over that foot's
contact (u = t/t_c, t_c > T so the feet overlap in double support), with ``A1 = π T / (2 t_c (1 + b/3))``
from the impulse condition (each foot carries m g T). Summing the overlapping feet gives the familiar
0.7-1.25 g trunk vertical specific force for b = 0.4, duty 1.15-1.2. AP and ML follow the running
shapes with smaller amplitudes.
"""

from __future__ import annotations

import numpy as np

from runform.firmware_sim.gait_running import ap_acc, ml_acc  # same shapes, walking amplitudes

__all__ = ["hump_amplitude", "vertical_sf", "ap_acc", "ml_acc"]


def hump_amplitude(step_s, contact_s, b):
    """A1 (g) so that one foot's impulse is T (g·s)."""
    return np.pi * np.asarray(step_s, dtype=float) / (2.0 * np.asarray(contact_s, dtype=float) * (1.0 + b / 3.0))


def vertical_sf(tau_s, contact_s, amp_g, b):
    """One foot's share of vertical specific force (g) at ``tau_s`` after its foot strike."""
    u = tau_s / contact_s
    return amp_g * (np.sin(np.pi * u) + b * np.sin(3.0 * np.pi * u))
