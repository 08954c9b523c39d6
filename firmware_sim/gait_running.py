"""Running stance forces of the trunk model, per step, as functions of time since foot strike.

Vertical: sine-wave spring-mass model (Morin et al. 2005, J Appl Biomech 21(2):167–180), the half-sine
``S sin(π u)`` over contact (u = t/t_c) plus an optional heel-strike transient
``A e^(-t/τ) sin(2π f_i t)`` (the "jarring"). ``S`` is set so the stance impulse equals ``m g T``
exactly (momentum balance over a step), including the transient's own impulse; flight is free fall
(0 g). Horizontal (this project's model, docs/METRICS.md, "Simulator model"): AP ``-B sin(2π u)`` (braking then propulsion, zero net impulse) and ML
``±C sin(π u)`` (right stance pushes the centre of mass to the left, +ML).

Deviation from a full spring-loaded inverted pendulum (SLIP; Blickhan 1989, J Biomech 22:1217–1227):
cadence and contact time are inputs, not outcomes of leg
stiffness and angle of attack; that is what lets a benchmark sweep them independently.
"""

from __future__ import annotations

import numpy as np


def transient_impulse(amp_g, freq_hz, tau_s, contact_s):
    """∫₀^t_c A e^(-t/τ) sin(2π f t) dt in g·s (closed form)."""
    a = 1.0 / np.asarray(tau_s, dtype=float)
    w = 2.0 * np.pi * np.asarray(freq_hz, dtype=float)
    L = np.asarray(contact_s, dtype=float)
    return amp_g * (w - np.exp(-a * L) * (a * np.sin(w * L) + w * np.cos(w * L))) / (a * a + w * w)


def sine_amplitude(step_s, contact_s, amp_g, freq_hz, tau_s):
    """Half-sine amplitude S (g) that makes the stance impulse equal T (g·s): S·2t_c/π + I_tr = T."""
    rest = np.asarray(step_s, dtype=float) - transient_impulse(amp_g, freq_hz, tau_s, contact_s)
    return rest * np.pi / (2.0 * np.asarray(contact_s, dtype=float))


def vertical_sf(tau_s, contact_s, sine_amp_g, amp_g, freq_hz, transient_tau_s):
    """Vertical specific force (g) of the centre of mass at ``tau_s`` after foot strike, within contact."""
    u = tau_s / contact_s
    return sine_amp_g * np.sin(np.pi * u) + amp_g * np.exp(-tau_s / transient_tau_s) * np.sin(2.0 * np.pi * freq_hz * tau_s)


def ap_acc(tau_s, contact_s, braking_g):
    """Fore-aft acceleration (g) in stance: braking then propulsion, zero net impulse."""
    return -braking_g * np.sin(2.0 * np.pi * tau_s / contact_s)


def ml_acc(tau_s, contact_s, sway_g, side_sign):
    """Medio-lateral acceleration (g, +left): ``side_sign`` is +1 for a right stance, -1 for a left."""
    return side_sign * sway_g * np.sin(np.pi * tau_s / contact_s)


def closed_form_vo_m(step_s, contact_s, g=9.80665):
    """Centre-of-mass vertical oscillation of the sine model (m), Morin et al. 2005."""
    T, tc = np.asarray(step_s, dtype=float), np.asarray(contact_s, dtype=float)
    return g * T * (tc / (2.0 * np.pi) + (T - 2.0 * tc) / 8.0)


def closed_form_peak_g(step_s, contact_s):
    """Peak vertical specific force of the sine model without transient (g): π T / (2 t_c)."""
    return np.pi * np.asarray(step_s, dtype=float) / (2.0 * np.asarray(contact_s, dtype=float))


def transient_peak_g(amp_g, freq_hz, tau_s):
    """Largest value of ``A e^(-t/τ) sin(2π f t)`` (g): at t* = atan(2π f τ)/(2π f)."""
    w = 2.0 * np.pi * np.asarray(freq_hz, dtype=float)
    t_star = np.arctan(w * tau_s) / w
    return np.asarray(amp_g, dtype=float) * np.exp(-t_star / tau_s) * np.sin(w * t_star)
