"""Sample rates devices are configured to, to name a nominal rate from measured timestamps.

Sources: Polar PMD settings (25/26/50/52/100/104/200/208/416 Hz, Polar BLE SDK), Shimmer rates
(32768 Hz clock divided: 51.2, 102.4, 204.8, 256, 512, 1024 Hz), common MEMS ODRs (12.5..833 Hz).
"""

from __future__ import annotations

KNOWN_RATES_HZ = (12.5, 25.0, 26.0, 32.0, 50.0, 51.2, 52.0, 64.0, 100.0, 102.4, 104.0, 128.0, 200.0, 204.8,
                  208.0, 256.0, 400.0, 416.0, 500.0, 512.0, 833.0, 1000.0, 1024.0)
#: a measured rate within this relative distance of a known rate is taken to be that rate
SNAP_RELATIVE_TOLERANCE = 0.02


def snap_rate(measured_hz: float | None) -> float | None:
    """The known device rate nearest to ``measured_hz`` if within tolerance, else ``None``."""
    if not measured_hz or measured_hz <= 0:
        return None
    best = min(KNOWN_RATES_HZ, key=lambda r: abs(r - measured_hz) / r)
    return best if abs(best - measured_hz) / best <= SNAP_RELATIVE_TOLERANCE else None
