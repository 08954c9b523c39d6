"""Make the interactive HTML report from Python.

    python examples/make_report.py FILE [OUT.html]
"""

import sys

import runform


def main(path: str, out: str = "report.html") -> None:
    recording = runform.load(path)
    session = runform.analyze(recording)
    written = runform.report(session, recording.meta, out)
    print(f"wrote {written}: open it in any browser (it works offline)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python examples/make_report.py FILE [OUT.html]")
    main(*sys.argv[1:3])
