"""What an importer gets to look at: a ``Source`` (file, folder or zip) with its first lines decoded.

Detection reads only ``HEAD_BYTES`` of a file, so it is cheap on hour-long recordings. Members of a
folder or a zip (Sensor Logger, phyphox) are opened through the same object.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from runform.sensors.errors import InputError
from runform.sensors.files import check_regular_file

#: bytes read from the start of a file to detect its format
HEAD_BYTES = 16384
#: a first line longer than HEAD_BYTES (wide one-row-per-trial files) is read whole up to this size
MAX_FIRST_LINE_BYTES = 4 * 1024 * 1024
#: lines of the head kept for detection
HEAD_LINES = 24
#: the delimiters a tabular file may use, in order of preference on a tie
DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
#: the largest zip member read (declared, uncompressed): ten hours of 200 Hz 6-axis text is ~0.5 GB
MAX_ZIP_MEMBER_BYTES = 1_000_000_000
#: the most a zip may declare in total (uncompressed) before anything is expanded
MAX_ZIP_TOTAL_BYTES = 4_000_000_000


def check_zip_sizes(p: Path, infos) -> None:
    """Refuse a zip whose declared sizes are too large, before anything is expanded (zip bombs)."""
    total = 0
    for info in infos:
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise InputError(p, f"zip member {info.filename!r} declares {info.file_size:,} bytes uncompressed, "
                                f"more than the {MAX_ZIP_MEMBER_BYTES:,} runform reads; not expanded")
        total += info.file_size
    if total > MAX_ZIP_TOTAL_BYTES:
        raise InputError(p, f"zip declares {total:,} bytes uncompressed in total, more than the "
                            f"{MAX_ZIP_TOTAL_BYTES:,} runform reads; not expanded")


@dataclass
class Source:
    """A recording's location: ``kind`` is "file", "dir" or "zip"; ``lines`` are the file's first lines."""

    path: Path
    kind: str
    lines: list[str] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # lower-case base name -> member name/path
    options: dict[str, str] = field(default_factory=dict)  # e.g. {"trial": "3"} from "file.csv#trial=3"

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.lines else ""

    def has_member(self, name: str) -> bool:
        return name.lower() in self.members

    def member_bytes(self, name: str) -> bytes:
        """The bytes of a folder/zip member, by base name (case-insensitive)."""
        real = self.members[name.lower()]
        if self.kind == "dir":
            check_regular_file(Path(real))
            try:
                return Path(real).read_bytes()
            except OSError as exc:
                raise InputError(real, f"cannot read: {exc.strerror or exc}") from None
        try:
            with zipfile.ZipFile(self.path) as zf:
                info = zf.getinfo(real)
                check_zip_sizes(self.path, [info])
                # zipfile stops at the declared size; a member that lies about it fails its CRC
                return zf.read(info)
        except zipfile.BadZipFile as exc:
            raise InputError(self.path, f"damaged zip member {real!r}: {exc}") from None

    def member_label(self, name: str) -> str:
        """``path/member`` for error messages."""
        real = self.members[name.lower()]
        return real if self.kind == "dir" else f"{self.path}!{real}"

    def member_head(self, name: str) -> str:
        return decode_head(self.member_bytes(name)[:HEAD_BYTES], self.member_label(name))[0] if self.has_member(name) else ""


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head


def decode_head(head: bytes, label) -> list[str]:
    """The first lines of a text file; ``InputError`` for binary content."""
    if looks_binary(head):
        raise InputError(label, "binary file, not a text recording (CSV expected)")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a multi-byte character cut at HEAD_BYTES
            try:
                text = head.decode("latin-1")
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
                raise InputError(label, "binary file, not a text recording (CSV expected)") from None
        else:
            text = head[: exc.start].decode("utf-8-sig")
    lines = text.splitlines()
    if len(head) >= HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    return lines[:HEAD_LINES]


def _index_members(names) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in sorted(names, key=lambda s: (s.count("/"), s)):
        base = PurePosixPath(n).name.lower()
        if base and base not in out:
            out[base] = n
    return out


def open_source(path, options: dict[str, str] | None = None) -> Source:
    """Inspect ``path``: missing, empty, binary -> ``InputError``; folders and zips list their members."""
    p = Path(path)
    opts = dict(options or {})
    if not p.exists():
        raise InputError(p, "no such file or directory")
    check_regular_file(p)
    if p.is_dir():
        # an export folder, or an unzipped export whose files sit one folder down; never deeper
        # (a recording is not searched for in a whole tree)
        files = [str(f) for f in p.glob("*") if f.is_file()] + [str(f) for f in p.glob("*/*") if f.is_file()]
        members: dict[str, str] = {}
        for f in sorted(files, key=lambda s: (s.count("/"), s)):
            members.setdefault(Path(f).name.lower(), f)
        return Source(p, "dir", [], members, opts)
    try:
        with open(p, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            fh.seek(0)
            first_full = fh.readline(MAX_FIRST_LINE_BYTES)
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise InputError(p, "empty file")
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(p) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
        except zipfile.BadZipFile as exc:
            raise InputError(p, f"damaged zip file: {exc}") from None
        check_zip_sizes(p, infos)
        return Source(p, "zip", [], _index_members([i.filename for i in infos]), opts)
    lines = decode_head(head, p)
    if len(first_full) > len(head):  # one very wide row (e.g. a trial per row): keep it whole
        lines = decode_head(first_full, p)[:1] + lines[1:]
    return Source(p, "file", lines, {}, opts)


def sniff_delimiter(line: str) -> str:
    """The delimiter a header or data line most likely uses (``,`` on a tie or when none occurs)."""
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def split_fields(line: str, sep: str | None = None) -> list[str]:
    sep = sep or sniff_delimiter(line)
    return [f.strip().strip('"').strip() for f in line.strip().split(sep)]
