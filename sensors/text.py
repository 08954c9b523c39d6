"""Text that came from a file or a radio, made safe to print on a terminal.

A device name, a sidecar field or a column header may hold terminal control characters (ESC
sequences move the cursor, recolour or erase lines, and can print a fake line in ``runform info``).
``printable`` shows each one as a visible escape (``\\x1b``) instead; everything else is kept.
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls (newline and tab included: a field is one line), DEL and the C1 controls
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: Any) -> str:
    """``str(text)`` with every control character replaced by its ``\\xNN`` escape."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def printable_tree(value: Any) -> Any:
    """``value`` with ``printable`` applied to every string in it (dicts, lists, tuples)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: printable_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(printable_tree(v) for v in value)
    return value
