"""``kelm history`` against the emulator (the oracle's ``helm history`` for the same
releases) and its printers offline against what helm printed (tests/golden/lifecycle)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.lifecycle.test_status import UNREACHABLE, Releases, releases, revisions, same_as_helm

__all__ = ["releases"]  # the module's own cluster with the releases of test_status

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "lifecycle" / "history"

CASES = [
    ["history", "web"], ["hist", "web", "-o", "json"], ["history", "web", "-o", "yaml"],
    ["history", "web", "--max", "2"], ["history", "web", "--max", "0"],
    ["history", "web", "--max", "-1", "-o", "json"], ["history", "web", "--max", "0", "-o", "yaml"],
    ["history", "old"], ["history", "two", "-n", "kube-system", "-o", "json"],
    ["history", "two", "-n", "kube-system"],
    ["history", "zero", "-n", "zns"], ["history", "web", "--color", "always"], ["history", "bad"], ["history", "web", "--debug"],
    ["history", "bad", "-o", "json"],
    # Helm's errors
    ["history", "nope"], ["history", "BAD_name"], ["history", "web", "--max", "x"],
    ["history", "web", "-o", "xml"], ["history"], ["history", "web", "extra"],
    ["history", "web", "--kube-apiserver", UNREACHABLE],
]


def test_history_prints_what_helm_prints(releases: Releases) -> None:  # noqa: F811
    same_as_helm(releases, CASES)


@pytest.mark.parametrize("name", ["web", "two"])
def test_history_printers_offline(name: str) -> None:
    from kelm.action.history import history_json, history_rows, history_table, history_yaml

    rows = history_rows(revisions(name))
    assert history_table(rows) == (GOLDEN / f"{name}.table").read_text()
    assert history_json(rows) == (GOLDEN / f"{name}.json").read_text()
    assert history_yaml(rows) == (GOLDEN / f"{name}.yaml").read_text()


def test_history_table_cells_offline() -> None:
    from kelm.action.history import history_json, history_table, uitable
    from kelm.golang.time import UTC, GoTime

    assert history_table([]) == "REVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\tDESCRIPTION\n"
    assert history_json([]) == "[]\n"
    row: dict[str, Any] = {"revision": 1, "updated": None, "status": "failed", "chart": "MISSING",
           "app_version": "MISSING", "description": "x"}
    assert '"revision":1,"status":"failed"' in history_json([row])  # zero time: left out
    assert "Mon Jan  1 00:00:00 0001" in history_table([row])
    row["updated"] = GoTime(1_000_000_000, 5_000, UTC)
    assert '"updated":"2001-09-09T01:46:40.000005Z"' in history_json([row])
    # a cell of two lines is resized whole (its lines' widths added up), then split: cut
    # to one line when the sum is wider than the column, else one row a line
    assert uitable([["A", "B"], ["ab\ncd", "x"]]) == "A \tB\na...\tx"
    assert uitable([["ABCDE", "B"], ["ab\ncd", "x"]]) == "ABCDE\tB\nab   \tx\ncd   \t "
    assert uitable([["\x1b[1mA\x1b[0m", "wide"], ["日本", "y"]]) == (
        "\x1b[1mA\x1b[0m   \twide\n日本\ty   ")
