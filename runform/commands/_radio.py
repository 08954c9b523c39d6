"""What a command says when this machine has no Bluetooth stack: the virtual strap it can use instead."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def hint_without_radio(hint: str):
    """Re-raise ``NoRadioError`` with ``hint`` (a command line of the calling command) appended."""
    from runform.sensors.ble_link import NoRadioError

    try:
        yield
    except NoRadioError as exc:
        raise NoRadioError(f"{exc} (try `{hint}`)") from None
