"""Load language data files from ``pantau/lang/<code>/`` and ``pantau/data/``.

Language knowledge lives in data files, never in Python source. Formats:
- ``*.yaml``: any YAML structure;
- ``*.tsv``: tab-separated, first line a header, ``#`` lines are comments;
- ``*.txt``: one entry per line, ``#`` lines are comments.
Files are parsed once per process and cached.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Any

import yaml

from pantau.errors import DataError

LANGUAGES = ("id", "en")
# libyaml's loader when PyYAML was built with it: the same documents, parsed ~9x faster
# (start-up parses a dozen files).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_text(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"missing data file {package}/{name}") from exc


def _parse(name: str, text: str) -> Any:
    if name.endswith((".yaml", ".yml")):
        try:
            return yaml.load(text, Loader=_YAML_LOADER) or {}
        except yaml.YAMLError as exc:
            raise DataError(f"{name}: bad YAML: {exc}") from exc
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if name.endswith(".tsv"):
        reader = csv.DictReader(
            io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE
        )
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    return [ln.strip() for ln in lines]


@functools.cache
def lang_file(lang: str, name: str) -> Any:
    """Parsed content of ``pantau/lang/<lang>/<name>``."""
    return _parse(name, _read_text(f"pantau.lang.{lang}", name))


@functools.cache
def data_file(name: str) -> Any:
    """Parsed content of the language-neutral ``pantau/data/<name>``."""
    return _parse(name, _read_text("pantau.data", name))


def load_yaml_file(path: str) -> Any:
    """A user's YAML file (floors, rules): a clear error when it is missing or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from exc
    return _parse(path, text)
