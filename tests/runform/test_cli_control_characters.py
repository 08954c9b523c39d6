"""Issue 11, item 9: text from files (device names, sidecar fields, headers quoted in errors) is
printed with its terminal control characters shown as escapes, never executed."""

from __future__ import annotations

import json

from runform.cli import main
from runform.firmware_sim import simulate
from runform.sensors.canonical_csv import sidecar_path, write_canonical
from runform.sensors.live_panel import LinkStatus, format_status
from runform.sensors.text import printable

ESC_LINE = "\x1b[2K\rgaps          none (forged)"


def test_printable_escapes_controls_and_keeps_text():
    assert printable("Polar H10 é\x1b[31m\x07\n\x9b") == "Polar H10 é\\x1b[31m\\x07\\x0a\\x9b"


def test_info_analyze_and_report_do_not_print_control_characters(tmp_path, capsys):
    csv = write_canonical(simulate("bouncy", duration_s=40, rate_hz=52, seed=1).recording, tmp_path / "run.csv")
    side = sidecar_path(csv)
    meta = json.loads(side.read_text())
    meta.update(device=ESC_LINE, firmware="\x1b]0;pwned\x07", extra={"note": "\x1b[1A"})
    side.write_text(json.dumps(meta))
    for argv in (["info", str(csv)], ["analyze", str(csv)], ["report", str(csv), "-o", str(tmp_path / "r.html")]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "\x07" not in html
    main(["info", str(csv)])
    assert "\\x1b[2K\\x0dgaps          none (forged)" in capsys.readouterr().out


def test_error_messages_quoting_a_file_are_printable(tmp_path, capsys):
    p = tmp_path / "x.csv"
    p.write_text("time_s,acc_x_g,acc_y_g\x1b[2J,acc_z_g\n0,0,0,1\n0.01,0,0,1\n")
    assert main(["info", str(p)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1


def test_the_live_panel_escapes_a_device_name():
    assert "\x1b" not in format_status(LinkStatus(device="H10\x1b[2K", state="streaming"))
