"""Fixtures for the sensors tests."""

from __future__ import annotations

import zipfile

import pytest


@pytest.fixture
def write_export(tmp_path):
    """``write_export(folder_name, files, as_zip, zip_prefix="")`` writes an app export (a dict of
    relative path -> text) as a folder under tmp_path, or as ``export.zip`` with each member under
    ``zip_prefix``; returns the path to load."""

    def write(folder_name: str, files: dict[str, str], as_zip: bool, zip_prefix: str = ""):
        folder = tmp_path / folder_name
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        if not as_zip:
            return folder
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for name, text in files.items():
                zf.writestr(zip_prefix + name, text)
        return path

    return write
