"""The report's look: palette, fonts, band colours and the page's CSS (no web fonts: offline)."""

from __future__ import annotations

#: system font stack: no font is fetched from the web
FONT_STACK = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", sans-serif'
)

INK = "#1f2933"  # body text
MUTED = "#616e7c"  # secondary text
PAPER = "#f7f8fa"  # page background
CARD = "#ffffff"
GRID = "#e4e7eb"
ACCENT = "#2f6f8f"  # calm teal-blue for lines that carry no verdict

#: per-side colours in the figures (left, right): colour-blind-safe pair (Okabe & Ito, 2008)
SIDE_COLOURS = {"L": "#0072b2", "R": "#d55e00"}
SIDE_NAMES = {"L": "left", "R": "right"}

#: shading of the bout kinds behind the time series
BOUT_SHADES = {
    "run": "rgba(47, 111, 143, 0.13)",
    "walk": "rgba(230, 171, 2, 0.09)",
    "stand": "rgba(120, 120, 120, 0.12)",
}
BOUT_LABELS = {"run": "running", "walk": "walking", "stand": "standing"}

#: Garmin Running Dynamics colour bands (Forerunner 945 and Enduro 3 owner's manuals): colour and plain words
BAND_COLOURS = {
    "purple": "#7e57c2",
    "blue": "#1e88e5",
    "green": "#43a047",
    "orange": "#fb8c00",
    "red": "#e53935",
}
BAND_WORDS = {"purple": "excellent", "blue": "good", "green": "typical", "orange": "fair", "red": "needs work"}
#: what each band means (Garmin's percentiles of its runners' data)
BAND_PERCENTILES = {
    "purple": "top 5 %",
    "blue": "top 30 %",
    "green": "middle 40 %",
    "orange": "lower 25 %",
    "red": "lowest 5 %",
}
#: L/R balance uses three of the colours with its own words (Garmin GCT balance)
BALANCE_WORDS = {"green": "good symmetry", "orange": "fair symmetry", "red": "poor symmetry"}
NO_BAND_COLOUR = "#9aa5b1"

#: flag severities of analysis.flags ("marked", "mild", "info")
SEVERITY_COLOURS = {"marked": "#e53935", "mild": "#fb8c00", "info": "#1e88e5"}

CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: {PAPER}; color: {INK}; font-family: {FONT_STACK};
  font-size: 16px; line-height: 1.5; -webkit-font-smoothing: antialiased; }}
main {{ max-width: 1180px; margin: 0 auto; padding: 28px 20px 48px; }}
header.top h1 {{ font-size: 1.75rem; margin: 0 0 4px; letter-spacing: -0.01em; }}
header.top p.sub {{ margin: 0 0 14px; color: {MUTED}; }}
dl.meta {{ display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; color: {MUTED}; font-size: 0.9rem; }}
dl.meta div {{ display: flex; gap: 6px; }}
dl.meta dt {{ font-weight: 600; }}
dl.meta dd {{ margin: 0; overflow-wrap: anywhere; }}
section {{ margin-top: 30px; }}
h2 {{ font-size: 1.25rem; margin: 0 0 4px; }}
p.lead {{ margin: 0 0 14px; color: {MUTED}; max-width: 70ch; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(175px, 1fr)); gap: 14px; }}
.card {{ background: {CARD}; border-radius: 12px; padding: 14px 16px 12px; border-top: 6px solid var(--band);
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08); }}
.card h3 {{ margin: 0; font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.05em; color: {MUTED}; }}
.card .value {{ font-size: 2rem; font-weight: 650; margin: 2px 0 0; font-variant-numeric: tabular-nums; }}
.card .value small {{ font-size: 0.95rem; font-weight: 500; color: {MUTED}; margin-left: 3px; }}
.card .value.pair {{ font-size: 1.3rem; padding-top: 10px; white-space: nowrap; }}
.card .band {{ display: inline-block; margin-top: 4px; padding: 1px 9px; border-radius: 999px; font-size: 0.8rem;
  font-weight: 600; color: #fff; background: var(--band); }}
p.key {{ display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 10px 0 0; font-size: 0.85rem; color: {MUTED}; }}
p.key span {{ display: inline-flex; align-items: center; gap: 6px; }}
p.key i {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%; }}
.card p.hint {{ margin: 8px 0 0; font-size: 0.85rem; color: {MUTED}; }}
.panel {{ background: {CARD}; border-radius: 12px; padding: 16px 18px;
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08); }}
.flags {{ display: grid; gap: 10px; }}
.flag {{ background: {CARD}; border-radius: 10px; padding: 12px 16px; border-left: 6px solid var(--sev);
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06); }}
.flag .title {{ font-weight: 650; }}
.flag .sev {{ font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--sev);
  font-weight: 700; margin-left: 8px; }}
.flag p {{ margin: 4px 0 0; }}
.flag p.advice::before {{ content: "Try: "; font-weight: 650; }}
.flag p.source {{ font-size: 0.8rem; color: {MUTED}; }}
.ok {{ background: #e8f5e9; border-radius: 10px; padding: 12px 16px; }}
.note {{ background: #eef3f8; border-radius: 10px; padding: 10px 14px; color: {INK}; font-size: 0.92rem; }}
.disclaimer {{ margin-top: 14px; font-size: 0.9rem; color: {MUTED}; border-left: 3px solid {GRID}; padding-left: 12px; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.92rem; font-variant-numeric: tabular-nums; }}
th, td {{ padding: 7px 10px; text-align: right; border-bottom: 1px solid {GRID}; white-space: nowrap; }}
th:first-child, td:first-child, th.text, td.text {{ text-align: left; }}
thead th {{ color: {MUTED}; font-weight: 600; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }}
tr.run td:first-child {{ font-weight: 650; }}
tr.walk td, tr.stand td {{ color: {MUTED}; }}
td .dot {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }}
.two {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }}
footer {{ margin-top: 34px; font-size: 0.82rem; color: {MUTED}; }}
"""
