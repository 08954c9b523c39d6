"""Make the interactive HTML report from Python.

    python examples/make_report.py FILE [OUT.html]
"""

import argparse

import runform


def main(path: str, out: str = "report.html") -> None:
    recording = runform.load(path)
    session = runform.analyze(recording)
    written = runform.report(session, recording.meta, out)
    print(f"wrote {written}: open it in any browser (it works offline)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the interactive HTML report of a recording.")
    parser.add_argument("file", metavar="FILE", help="any recording runform reads")
    parser.add_argument("out", nargs="?", default="report.html", metavar="OUT.html", help="default: report.html")
    args = parser.parse_args()
    main(args.file, args.out)
