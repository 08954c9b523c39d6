"""Without a Bluetooth stack, ``scan`` and ``record`` say which of their own command lines uses the
virtual strap instead, and that command line parses."""

import shlex

import pytest

from runform.cli import build_parser, main
from runform.commands import record as record_cmd
from runform.commands import scan as scan_cmd
from runform.firmware_sim.profiles import profile_names
from runform.sensors import ble_link


@pytest.fixture
def no_bluez(monkeypatch):
    """BlueZ absent, as bleak reports it on a machine without D-Bus (FileNotFoundError on the socket)."""

    async def missing(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(ble_link.BleakScanner, "discover", missing)
    monkeypatch.setattr(ble_link.BleakScanner, "find_device_by_filter", missing)


@pytest.mark.parametrize("argv, hint", [
    (["scan", "--timeout", "0.1"], scan_cmd.NO_RADIO_HINT),
    (["record", "--duration", "1", "-o", "{tmp}/x.csv"], record_cmd.NO_RADIO_HINT),
])
def test_no_radio_error_names_the_commands_own_virtual_strap_line(no_bluez, tmp_path, capsys, argv, hint):
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("runform: error: no Bluetooth adapter") and f"try `{hint}`" in line


@pytest.mark.parametrize("hint, command", [(scan_cmd.NO_RADIO_HINT, "scan"), (record_cmd.NO_RADIO_HINT, "record")])
def test_each_hint_is_a_command_line_that_parses(hint, command):
    words = shlex.split(hint)
    assert words[:2] == ["runform", command]
    args = build_parser().parse_args(words[1:])  # argparse exits on an option that does not exist
    assert args.simulate
    if isinstance(args.simulate, str):
        assert args.simulate in profile_names()
