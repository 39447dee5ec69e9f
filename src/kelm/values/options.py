"""User-supplied values: ``-f`` files and the ``--set`` family, merged in Helm's fixed order.

Order (later wins): ``-f`` files in order, ``--set-json``, ``--set``, ``--set-string``,
``--set-file``, ``--set-literal`` -- regardless of their order on the command line.
"""

from __future__ import annotations

import sys

from kelm._slots import Record
from kelm.values.yamlload import YAMLError, load_values, merge_maps, to_float64

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class ValuesError(ValueError):
    """Bad user values; ``str()`` is Helm's message."""


class ValueOptions(Record):
    """The values flags of one command line (``-f`` and the ``--set`` family), in their order."""

    __slots__ = (
        "value_files", "json_values", "values", "string_values", "file_values", "literal_values"
    )

    def __init__(
        self,
        value_files: list[str] | None = None,
        json_values: list[str] | None = None,
        values: list[str] | None = None,
        string_values: list[str] | None = None,
        file_values: list[str] | None = None,
        literal_values: list[str] | None = None,
    ) -> None:
        self.value_files: list[str] = [] if value_files is None else value_files
        self.json_values: list[str] = [] if json_values is None else json_values
        self.values: list[str] = [] if values is None else values
        self.string_values: list[str] = [] if string_values is None else string_values
        self.file_values: list[str] = [] if file_values is None else file_values
        self.literal_values: list[str] = [] if literal_values is None else literal_values

    def merge_values(self) -> dict[str, Any]:
        """Helm's ``values.Options.MergeValues``."""
        base: dict[str, Any] = {}
        for path in self.value_files:
            raw = read_file(path)
            try:
                current = load_values(raw.decode("utf-8", errors="replace"))
            except YAMLError as e:
                raise ValuesError(f"failed to parse {path}: {e}") from None
            base = merge_maps(base, current)
        if not (self.json_values or self.values or self.string_values or self.file_values
                or self.literal_values):
            return base
        from kelm.values import strvals  # the --set family's parser, imported when used

        for value in self.json_values:
            trimmed = value.strip()
            if trimmed.startswith("{"):
                import json

                try:
                    obj = json.loads(trimmed)
                except ValueError:
                    obj = None
                if not isinstance(obj, dict):
                    raise ValuesError(f"failed parsing --set-json data JSON: {value}")
                base = merge_maps(base, to_float64(obj))
            else:
                try:
                    strvals.parse_json(value, base)
                except strvals.StrvalsError:
                    raise ValuesError(f"failed parsing --set-json data {value}") from None
        for value in self.values:
            try:
                strvals.parse_into(value, base)
            except strvals.StrvalsError as e:
                raise ValuesError(f"failed parsing --set data: {e}") from None
        for value in self.string_values:
            try:
                strvals.parse_into_string(value, base)
            except strvals.StrvalsError as e:
                raise ValuesError(f"failed parsing --set-string data: {e}") from None
        for value in self.file_values:

            def reader(rs: str) -> Any:
                try:
                    return read_file(rs).decode("utf-8", errors="replace")
                except ValuesError as e:
                    raise strvals.StrvalsError(str(e)) from None

            try:
                strvals.parse_into_file(value, base, reader)
            except strvals.StrvalsError as e:
                raise ValuesError(f"failed parsing --set-file data: {e}") from None
        for value in self.literal_values:
            try:
                strvals.parse_literal_into(value, base)
            except strvals.StrvalsError as e:
                raise ValuesError(f"failed parsing --set-literal data: {e}") from None
        return base


URL_TIMEOUT = 30.0  # seconds for a values URL (Helm waits forever on a silent server)


def read_file(path: str) -> bytes:
    """A values source: ``-`` is stdin, http(s) URLs are fetched, anything else is a file."""
    if path.strip() == "-":
        return sys.stdin.buffer.read()
    from urllib.parse import urlparse

    scheme = urlparse(path).scheme
    if scheme in ("http", "https"):
        from kelm.values.httpget import HTTPGetError, http_get

        try:
            status, reason, body = http_get(path, URL_TIMEOUT)
        except HTTPGetError as e:
            raise ValuesError(str(e)) from None
        if status != 200:
            raise ValuesError(f"failed to fetch {path} : {status} {reason}")
        return body
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except IsADirectoryError:
        raise ValuesError(f"read {path}: is a directory") from None
    except OSError as e:
        raise ValuesError(f"open {path}: {(e.strerror or str(e)).lower()}") from None
