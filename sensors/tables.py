"""Read a delimited text table with pandas' C engine and take numeric columns from it, naming the
first bad row: what every importer and the canonical CSV's error path share. pandas is imported
only when a table is read (``runform analyze`` of a canonical CSV never needs it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from runform.sensors.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def read_table(source, label, *, sep=",", header="infer", skiprows=None, decimal=".", names=None,
               usecols=None, comment=None, dtype=None) -> pd.DataFrame:
    """``pd.read_csv`` (C engine) with pandas' errors turned into one-line ``InputError``s."""
    import pandas as pd

    try:
        return pd.read_csv(source, sep=sep, header=header, skiprows=skiprows, decimal=decimal, names=names,
                           usecols=usecols, engine="c", comment=comment, skipinitialspace=True, dtype=dtype,
                           skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise InputError(label, "empty file") from None
    except pd.errors.ParserError as exc:
        msg = str(exc).strip().splitlines()[-1]
        m = re.search(r"line (\d+)", msg)
        raise InputError(label, f"malformed table: {msg}", int(m.group(1)) if m else None) from None
    except ValueError as exc:
        raise InputError(label, f"could not read the table: {str(exc).splitlines()[0]}") from None
    except UnicodeDecodeError:
        raise InputError(label, "not a text file (undecodable bytes)") from None


def numeric(df: pd.DataFrame, columns, label, first_line: int) -> np.ndarray:
    """The named columns as an (n, k) float64 array; text in them -> ``InputError`` with column and row.

    ``first_line`` is the file line number of the frame's first row.
    """
    import pandas as pd

    out = np.empty((len(df), len(columns)), dtype=np.float64)
    for j, col in enumerate(columns):
        s = df[col]
        if s.dtype.kind in "fiu":
            out[:, j] = s.to_numpy(dtype=np.float64)
            continue
        if s.dtype.kind == "b":
            raise InputError(label, f"column '{col}' holds true/false values, not numbers")
        conv = pd.to_numeric(s, errors="coerce")
        bad = conv.isna().to_numpy() & s.notna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(label, f"text {str(s.iloc[i])[:30]!r} in numeric column '{col}'", first_line + i)
        out[:, j] = conv.to_numpy(dtype=np.float64)
    return out
