"""The plotly figures: per-step time series, heart rate over time, the average stride, and left/right balance.

Only what is drawn is thinned: per-step values are sent as float32 (plotly encodes NumPy arrays as
compact typed arrays), and the smoothing line is a rolling median of the same steps. Nothing here
changes a measured value.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from runform.analysis.report._bands import is_number
from runform.analysis.catalogue import Metric
from runform.analysis.report._model import STEP_SERIES, Cycle, ReportData
from runform.analysis.report._style import (
    ACCENT,
    BAND_COLOURS,
    BOUT_LABELS,
    BOUT_SHADES,
    FONT_STACK,
    GRID,
    INK,
    MUTED,
    SIDE_COLOURS,
    SIDE_NAMES,
)

#: rolling median over this many steps for the trend line drawn over the per-step dots
SMOOTH_STEPS = 15
SMOOTH_MIN_STEPS = 5
ROW_HEIGHT_PX = 165
#: Garmin GCT balance zones as % left (Garmin Enduro 3 owner's manual, "GCT balance"): (low, high, band)
BALANCE_ZONES = (
    (40.0, 47.8, "red"),
    (47.8, 49.3, "orange"),
    (49.3, 50.7, "green"),
    (50.7, 52.2, "orange"),
    (52.2, 60.0, "red"),
)
BALANCE_VIEW = (45.0, 55.0)
#: two lines, so that it fits a phone-width chart (~300 px)
BALANCE_AXIS_TITLE = "% of contact time on the left foot<br>← more on the right · more on the left →"

PLOT_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": "hover",
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def _base_layout(fig: go.Figure, height: int) -> None:
    fig.update_layout(
        height=height,
        margin=dict(l=64, r=24, t=28, b=44),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="#ffffff",
        font=dict(family=FONT_STACK, size=13, color=INK),
        hoverlabel=dict(font=dict(family=FONT_STACK, size=12), bgcolor="#ffffff"),
        showlegend=False,
    )
    fig.update_xaxes(gridcolor=GRID, zeroline=False, linecolor=GRID, ticks="outside", tickcolor=GRID)
    fig.update_yaxes(gridcolor=GRID, zeroline=False, linecolor=GRID)


def drawn_series(data: ReportData) -> list[Metric]:
    """The per-step series worth drawing: present, not all NaN (trunk rotation needs a gyro)."""
    out = []
    for m in STEP_SERIES:
        values = data.steps.get(m.key)
        if values is None or not np.isfinite(np.asarray(values, float)).any():
            continue
        out.append(m)
    return out


def _smoothed(values: np.ndarray, bout: np.ndarray | None) -> np.ndarray:
    """Rolling median over SMOOTH_STEPS steps, restarted at each bout so bouts are not blended."""
    import pandas as pd  # here: the progress and compare pages share this module and never need pandas

    series = pd.Series(values, dtype=float)
    groups = bout if bout is not None else np.zeros(len(values), int)
    rolled = series.groupby(groups).transform(
        lambda s: s.rolling(SMOOTH_STEPS, center=True, min_periods=SMOOTH_MIN_STEPS).median()
    )
    return rolled.to_numpy()


def _line_breaks(x: np.ndarray, y: np.ndarray, bout: np.ndarray | None):
    """Insert a NaN between bouts so the smoothing line does not bridge walk breaks."""
    if bout is None or len(x) == 0:
        return x, y
    cut = np.flatnonzero(np.diff(bout) != 0) + 1
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def _bout_shapes(fig: go.Figure, data: ReportData) -> None:
    """A shaded band per bout behind every row, set in one assignment (``add_shape`` per bout copies
    the whole shape list each time: 3.8 s for the ~280 bouts of a 4 h Couch-to-5K session)."""
    shapes = [dict(type="rect", xref="x", yref="paper", x0=b["start_s"] / 60.0, x1=b["end_s"] / 60.0,
                   y0=0, y1=1, fillcolor=BOUT_SHADES[b.get("kind")], line_width=0, layer="below")
              for b in data.bouts
              if b.get("kind") in BOUT_SHADES and is_number(b.get("start_s")) and is_number(b.get("end_s"))]
    fig.update_layout(shapes=list(fig.layout.shapes) + shapes)


def steps_figure(data: ReportData) -> go.Figure | None:
    """Per-step metrics over the session (minutes), one row each, bouts shaded behind.

    Dots are steps (blue left, orange right), one trace per side and bout kind so the hover label
    needs no per-step text; the line is the rolling median. Hovering a dot shows all of that
    step's values.
    """
    series = drawn_series(data)
    if not series or data.n_steps == 0:
        return None
    steps = data.steps
    x = np.asarray(steps["time_s"], float) / 60.0
    side = np.asarray(steps.get("side", np.full(len(x), "")), str)
    bout = np.asarray(steps["bout"]) if "bout" in steps else None
    kind = np.asarray(steps.get("bout_kind", np.full(len(x), "")), str)
    custom = np.column_stack([np.asarray(steps[m.key], float) for m in series]).astype(np.float32)
    hover_lines = "<br>".join(f"{m.label}: %{{customdata[{i}]:.{m.decimals}f}}{m.unit_suffix}"
                              for i, m in enumerate(series))
    groups = [(s, k) for s in np.unique(side) for k in np.unique(kind)]

    fig = make_subplots(rows=len(series), cols=1, shared_xaxes=True, vertical_spacing=0.035,
                        subplot_titles=[f"{m.label} ({m.unit})" for m in series])
    for row, key in enumerate((m.key for m in series), start=1):
        y = np.asarray(steps[key], float)
        for side_key, kind_key in groups:
            m = (side == side_key) & (kind == kind_key)
            if not m.any():
                continue
            words = f"{SIDE_NAMES.get(side_key, side_key)} foot, {BOUT_LABELS.get(kind_key, kind_key)}"
            fig.add_trace(go.Scatter(
                x=x[m].astype(np.float32), y=y[m].astype(np.float32), customdata=custom[m], mode="markers",
                hovertemplate=f"<b>%{{x:.2f}} min</b> · {words}<br>{hover_lines}<extra></extra>",
                name=words, marker=dict(size=4, opacity=0.55, color=SIDE_COLOURS.get(side_key, ACCENT)),
            ), row=row, col=1)
        lx, ly = _line_breaks(x, _smoothed(y, bout), bout)
        fig.add_trace(go.Scatter(x=lx.astype(np.float32), y=ly.astype(np.float32), mode="lines",
                                 line=dict(color=INK, width=1.6), hoverinfo="skip", name=f"{key} median"),
                      row=row, col=1)
    _base_layout(fig, ROW_HEIGHT_PX * len(series) + 70)
    fig.update_layout(hovermode="closest")
    fig.update_annotations(font=dict(size=13, color=MUTED), x=0, xanchor="left")
    fig.update_xaxes(title_text="minutes from start", row=len(series), col=1)
    _bout_shapes(fig, data)
    return fig


HEART_RATE_COLOUR = "#c0392b"
HEART_RATE_HEIGHT_PX = 260


def heart_rate_figure(data: ReportData) -> go.Figure | None:
    """Heart rate (bpm) over the session (minutes), with the run/walk/stand bouts shaded behind as in the
    step-by-step chart; None without heart rate."""
    if data.heart_rate is None:
        return None
    minutes, bpm, source = data.heart_rate
    fig = go.Figure(go.Scatter(
        x=minutes.astype(np.float32), y=bpm.astype(np.float32), mode="lines", name="heart rate",
        line=dict(color=HEART_RATE_COLOUR, width=1.8),
        hovertemplate=f"<b>%{{x:.2f}} min</b><br>heart rate %{{y:.0f}} bpm ({source})<extra></extra>"))
    _base_layout(fig, HEART_RATE_HEIGHT_PX)
    fig.update_layout(hovermode="x")
    fig.update_xaxes(title_text="minutes from start")
    fig.update_yaxes(title_text="beats per minute")
    _bout_shapes(fig, data)
    return fig


def _cycle_annotations(fig: go.Figure, cycle: Cycle) -> None:
    """Mark the bounce (peak-to-trough) and the landing peak on the mean of the sides."""
    if cycle.displacement_cm:
        mean_disp = np.nanmean(np.vstack(list(cycle.displacement_cm.values())), axis=0)
        if np.isfinite(mean_disp).any():
            bounce = float(np.nanmax(mean_disp) - np.nanmin(mean_disp))
            i_top = int(np.nanargmax(mean_disp))
            x = cycle.phase[i_top] * 100
            # the label reaches into the chart from the peak's side, so that it fits a phone-width chart
            fig.add_annotation(x=x, y=float(mean_disp[i_top]), row=1, col=1,
                               text=f"bounce {bounce:.1f} cm top to bottom", showarrow=True, arrowhead=0,
                               ax=-20 if x > 50 else 20, ay=-24, xanchor="right" if x > 50 else "left",
                               font=dict(color=INK, size=12))
    if cycle.acc_g:
        mean_acc = np.nanmean(np.vstack(list(cycle.acc_g.values())), axis=0)
        if np.isfinite(mean_acc).any():
            i_peak = int(np.nanargmax(mean_acc))
            fig.add_annotation(x=cycle.phase[i_peak] * 100, y=float(mean_acc[i_peak]), row=2, col=1,
                               text=f"landing peak {mean_acc[i_peak]:.2f} g", showarrow=True,
                               arrowhead=0, ax=40, ay=-24, font=dict(color=INK, size=12))


def contact_fraction(data: ReportData) -> float | None:
    """Share of the step spent on the ground: ground contact time / step time (running medians)."""
    gct, cadence = data.running.get("ground_contact_ms"), data.running.get("cadence_spm")
    if not (is_number(gct) and is_number(cadence)) or cadence <= 0:
        return None
    fraction = (gct / 1000.0) / (60.0 / cadence)
    return fraction if 0.0 < fraction < 1.0 else None


def stride_figure(data: ReportData) -> go.Figure | None:
    """The average step: vertical displacement (cm) and vertical acceleration (g), left and right."""
    cycle = data.cycle
    if cycle is None or not (cycle.displacement_cm or cycle.acc_g):
        return None
    # one above the other, sharing the step axis: side by side they were ~150 px wide on a phone
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=["Up-down movement of your chest (cm)",
                                        "Up-down acceleration (g)"])
    fig.update_annotations(x=0, xanchor="left", font=dict(size=13, color=MUTED))  # left, like the others
    pct = cycle.phase * 100.0
    for row, curves in ((1, cycle.displacement_cm), (2, cycle.acc_g)):
        unit = "cm" if row == 1 else "g"
        for side_key, curve in curves.items():
            fig.add_trace(go.Scatter(
                x=pct, y=curve, mode="lines", name=f"{SIDE_NAMES.get(side_key, side_key)} foot",
                legendgroup=side_key, showlegend=row == 1,
                line=dict(color=SIDE_COLOURS.get(side_key, ACCENT), width=2.4),
                hovertemplate=f"%{{x:.0f}} % of the step: %{{y:.2f}} {unit}<extra>%{{fullData.name}}</extra>",
            ), row=row, col=1)
    fig.add_hline(y=1.0, row=2, col=1, line=dict(color=MUTED, width=1, dash="dot"),
                  annotation_text="1 g = standing still", annotation_position="bottom right",
                  annotation_font=dict(size=11, color=MUTED))
    contact = contact_fraction(data)
    if contact is not None:
        for row in (1, 2):
            fig.add_vrect(x0=0, x1=100 * contact, row=row, col=1, fillcolor=BOUT_SHADES["run"], line_width=0,
                          layer="below")
        fig.add_annotation(x=50 * contact, y=0, yref="y domain", row=1, col=1, text="foot on the ground",
                           showarrow=False, yanchor="bottom", font=dict(size=11, color=MUTED))
    _cycle_annotations(fig, cycle)
    _base_layout(fig, 520)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=0, y=-0.14))
    fig.update_xaxes(range=[0, 100])
    fig.update_xaxes(title_text="% of the step, from foot strike", row=2, col=1)
    return fig


def balance_figure(data: ReportData) -> go.Figure | None:
    """Contact-time balance (% left) on Garmin's zones: the session and each run bout."""
    session_value = data.running.get("gct_balance_left_pct")
    bout_values = [(i, b.get("gct_balance_left_pct")) for i, b in enumerate(data.bouts, 1)
                   if b.get("kind") == "run" and is_number(b.get("gct_balance_left_pct"))]
    if not is_number(session_value) and not bout_values:
        return None
    fig = go.Figure()
    for low, high, band in BALANCE_ZONES:
        fig.add_shape(type="rect", x0=low, x1=high, y0=0, y1=1, yref="paper", line_width=0,
                      fillcolor=BAND_COLOURS[band], opacity=0.28, layer="below")
    if bout_values:
        fig.add_trace(go.Scatter(
            x=[v for _, v in bout_values], y=[0.35] * len(bout_values), mode="markers",
            marker=dict(size=10, color="rgba(31,41,51,0.45)", line=dict(width=1, color="#fff")),
            text=[f"bout {i}" for i, _ in bout_values],
            hovertemplate="%{text}: %{x:.1f} % left<extra></extra>"))
    if is_number(session_value):
        fig.add_trace(go.Scatter(
            x=[session_value], y=[0.7], mode="markers+text", text=[f"you: {session_value:.1f} % left"],
            textposition="top center", marker=dict(size=18, color=INK, symbol="diamond"),
            hovertemplate="whole session: %{x:.1f} % left<extra></extra>"))
    lo, hi = BALANCE_VIEW
    values = [v for _, v in bout_values] + ([session_value] if is_number(session_value) else [])
    lo, hi = min(lo, min(values) - 0.5), max(hi, max(values) + 0.5)
    _base_layout(fig, 200)
    fig.update_layout(margin=dict(l=24, r=24))  # no y axis to label: the width goes to the zones
    fig.update_xaxes(range=[lo, hi], dtick=1, title_text=BALANCE_AXIS_TITLE)
    fig.update_yaxes(visible=False, range=[0, 1.15])
    return fig
