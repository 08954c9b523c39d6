"""The two helpers every speed table is written with: a number or "n/a", and a markdown table."""

from __future__ import annotations

import math


def fmt(x, spec: str = "{:.3f}") -> str:
    """``x`` formatted by ``spec``; "n/a" for None, NaN and infinity."""
    return "n/a" if x is None or (isinstance(x, float) and not math.isfinite(x)) else spec.format(x)


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A markdown table (readable as plain text too), one line per row."""
    return ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|",
            *("| " + " | ".join(r) + " |" for r in rows)]
