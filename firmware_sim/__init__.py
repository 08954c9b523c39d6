"""firmware_sim: a simulated strap with ground truth: trunk gait model, IMU error model, firmware
packetizers speaking the real devices' bytes, virtual devices behind a bleak backend, fault injection.
May import: numpy, scipy, the ``sensors`` data model, bleak backend base classes."""

from runform.firmware_sim.profiles import PROFILES, Profile, ProfileError, apply_overrides, get_profile, profile_names
from runform.firmware_sim.session import SensorCounts, SimResult, simulate
from runform.firmware_sim.truth import Truth, truth_path

__all__ = ["PROFILES", "Profile", "ProfileError", "SensorCounts", "SimResult", "Truth", "apply_overrides",
           "get_profile", "profile_names", "simulate", "truth_path"]
