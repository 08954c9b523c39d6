"""Issue 11, items 6 and 9: absurd numbers are one line and exit 2 before anything runs (today:
killed for memory, or a hang); Ctrl-C during ``replay`` exits 130 with the panel closed."""

from __future__ import annotations

import pytest

from runform.cli import main
from runform.firmware_sim import simulate
from runform.sensors.canonical_csv import write_canonical


@pytest.mark.parametrize("argv, fragment", [
    (["simulate", "easy", "--duration", "1e9", "-o", "{d}/x.csv"], "--duration must be a number above 0 up to 7200, not 1e+09"),
    (["simulate", "easy", "--duration", "nan", "-o", "{d}/x.csv"], "--duration must be a number above 0 up to 7200, not nan"),
    (["simulate", "easy", "--duration", "-5", "-o", "{d}/x.csv"], "--duration must be a number above 0"),
    (["simulate", "easy", "--rate", "inf", "-o", "{d}/x.csv"], "sample rate inf Hz is outside 25-416 Hz"),
    (["replay", "{d}/x.csv", "--speed", "inf"], "--speed must be a number from 0 to 10000, not inf"),
    (["replay", "{d}/x.csv", "--speed", "nan"], "--speed must be a number from 0 to 10000, not nan"),
    (["record", "--simulate", "easy", "--drift-ppm", "nan", "-o", "{d}/r.csv"], "--drift-ppm must be a number from -10000 to 10000, not nan"),
    (["record", "--simulate", "easy", "--speed", "inf", "-o", "{d}/r.csv"], "--speed must be a number above 0 up to 10000, not inf"),
    (["record", "--simulate", "easy", "--duration", "1e9", "-o", "{d}/r.csv"], "--duration must be a number above 0 up to 86400"),
    (["record", "--simulate", "easy", "--duration", "8000", "-o", "{d}/r.csv"], "longer than the 7200 s the simulator runs"),
])
def test_absurd_numbers_are_one_line_exit_2(tmp_path, capsys, argv, fragment):
    code = main([a.format(d=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and fragment in err, err
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "x.csv").exists()


def test_ctrl_c_during_replay_exits_130_with_what_it_saw(tmp_path, capsys, monkeypatch):
    from runform.analysis.live import LiveAnalyzer

    path = write_canonical(simulate("bouncy", duration_s=40, rate_hz=100, seed=5).recording, tmp_path / "run.csv")
    before = path.read_bytes()

    class Interrupted(LiveAnalyzer):
        fed = 0

        def feed(self, block):
            Interrupted.fed += 1
            if Interrupted.fed == 150:  # 15 s in, as if the user pressed Ctrl-C
                raise KeyboardInterrupt
            return super().feed(block)

    monkeypatch.setattr("runform.commands.replay.LiveAnalyzer", Interrupted)
    code = main(["replay", str(path), "--speed", "0"])
    captured = capsys.readouterr()
    assert code == 130
    assert "interrupted at 15 s of 40 s" in captured.out and "runform analyze:" not in captured.out
    assert captured.err == "runform: interrupted\n"
    assert path.read_bytes() == before
