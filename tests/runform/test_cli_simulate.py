"""``runform simulate``: files written, same seed same bytes, one-line errors with exit 2."""

import json

import pytest

from runform.cli import main
from runform.sensors.canonical_csv import read_canonical


def _run(tmp_path, name, *extra):
    out = tmp_path / name
    rc = main(["simulate", "bouncy", "--duration", "15", "--rate", "104", "--seed", "3", *extra, "-o", str(out)])
    assert rc == 0
    return out


def test_writes_csv_sidecar_and_truth(tmp_path, capsys):
    out = _run(tmp_path, "x.csv", "--mount", "back")
    rec = read_canonical(out)
    assert rec.has_gyro and rec.meta.placement == "back" and rec.meta.nominal_rate_hz == 104
    assert (tmp_path / "x.meta.json").exists()
    truth = json.loads((tmp_path / "x.truth.json").read_text())
    assert truth["params"]["mount"] == "back" and len(truth["steps"]["ic_s"]) > 10
    assert "x.truth.json" in capsys.readouterr().out


def test_same_seed_same_bytes(tmp_path):
    a, b = _run(tmp_path, "a.csv"), _run(tmp_path, "b.csv")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.truth.json").read_bytes() == (tmp_path / "b.truth.json").read_bytes()
    assert (tmp_path / "a.meta.json").read_bytes() == (tmp_path / "b.meta.json").read_bytes()


def test_no_gyro(tmp_path):
    out = _run(tmp_path, "h10.csv", "--no-gyro")
    assert out.read_text().splitlines()[0] == "time_s,acc_x_g,acc_y_g,acc_z_g"


@pytest.mark.parametrize("args,words", [
    (["simulate", "sprint"], "unknown profile"),
    (["simulate", "easy", "--rate", "500"], "outside 25-416"),
    (["simulate", "easy", "--rate", "10"], "outside 25-416"),
    (["simulate", "easy", "--duration", "0"], "duration"),
])
def test_bad_arguments_one_line_exit_2(tmp_path, capsys, args, words):
    rc = main([*args, "-o", str(tmp_path / "y.csv")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("runform: error:") and words in err
    assert not (tmp_path / "y.csv").exists()


def test_bad_mount_is_an_argparse_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "easy", "--mount", "hip", "-o", str(tmp_path / "y.csv")])
    assert exc.value.code == 2
