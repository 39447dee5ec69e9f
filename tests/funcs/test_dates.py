"""Direct tests of kelm.funcs.dates (Sprig's date functions), TZ pinned explicitly."""

from __future__ import annotations

import re

import pytest

from kelm.funcs import dates
from kelm.golang import time as gotime
from kelm.golang.value import GoError, GoInt, GoInt32, GoUint8

EPOCH_2020 = 1589673600  # 2020-05-17T00:00:00Z


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)


def test_signatures() -> None:
    f = dates.FUNCS
    assert f["date"].params == ("string", "interface {}") and f["date"].result == "string"
    assert f["dateModify"].params == ("string", "time.Time")
    assert f["mustToDate"].returns_error and not f["toDate"].returns_error
    assert f["date_in_zone"] is f["dateInZone"] and f["must_date_modify"] is f["mustDateModify"]
    assert f["now"].params == () and f["now"].result == "time.Time"


def test_date_accepts_unix_seconds_of_int_kinds() -> None:
    assert dates.date("2006-01-02", GoInt(EPOCH_2020)) == "2020-05-17"
    assert dates.date("2006-01-02", EPOCH_2020) == "2020-05-17"
    assert dates.date("2006-01-02", GoInt32(86400)) == "1970-01-02"
    today = gotime.now().Format("2006-01-02")
    assert dates.date("2006-01-02", GoUint8(1)) == today  # other kinds mean "now"
    assert dates.date("2006-01-02", 1.0) == today
    assert dates.date("2006-01-02", "86400") == today


def test_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert dates.date("2006-01-02 15:04 MST", EPOCH_2020) == "2020-05-17 09:00 JST"
    assert dates.html_date(EPOCH_2020 - 3600 * 9 - 1) == "2020-05-16"


def test_date_in_zone() -> None:
    t = dates.to_date("2006-01-02", "2020-05-17")
    assert dates.date_in_zone("2006-01-02 15:04 MST", t, "Asia/Tokyo") == "2020-05-17 09:00 JST"
    assert dates.date_in_zone("15:04 MST", t, "No/Such_Zone") == "00:00 UTC"
    assert dates.date_in_zone("15:04 -07:00", t, "America/St_Johns") == "21:30 -02:30"
    assert dates.html_date_in_zone(GoInt(EPOCH_2020), "America/New_York") == "2020-05-16"


def test_date_modify() -> None:
    t = dates.to_date("2006-01-02", "2020-05-17")
    assert dates.date_modify("-1.5h", t).__go_string__() == "2020-05-16 22:30:00 +0000 UTC"
    assert dates.date_modify("bogus", t) is t
    with pytest.raises(GoError, match='time: invalid duration "bogus"'):
        dates.must_date_modify("bogus", t)
    with pytest.raises(GoError, match='time: unknown unit "d" in duration "1d"'):
        dates.must_date_modify("1d", t)


def test_to_date_and_unix_epoch() -> None:
    assert dates.to_date("2006-01-02", "nope").__go_string__() == "0001-01-01 00:00:00 +0000 UTC"
    t = dates.to_date("2006-01-02T15:04:05Z07:00", "2020-05-17T09:00:00+09:00")
    assert dates.unix_epoch(t) == str(EPOCH_2020)
    with pytest.raises(GoError, match='cannot parse "x" as "2006"'):
        dates.must_to_date("2006-01-02", "x")


@pytest.mark.parametrize(
    ("arg", "text"),
    [
        (GoInt(95), "0s"),
        (95, "1m35s"),
        ("3700", "1h1m40s"),
        ("-90", "-1m30s"),
        ("x", "0s"),
        (" 5", "0s"),
        ("+5", "5s"),
        (None, "0s"),
        (1.5, "0s"),
        ("99999999999", "2157299h53m50.45224192s"),
    ],
)
def test_duration(arg: object, text: str) -> None:
    assert dates.duration(arg) == text


@pytest.mark.parametrize(
    ("arg", "text"),
    [
        ("2h10m5s", "2h"),
        ("-400h", "16d"),
        ("800h", "1mo"),
        ("9000h", "1y"),
        (GoInt(95), "0s"),
        ("1s", "0s"),
        ("61s", "1m"),
        ("x", "0s"),
        (60 * gotime.NS + 1, "1m"),
        ("24h", "24h"),
        ("24h0m1s", "1d"),
    ],
)
def test_duration_round(arg: object, text: str) -> None:
    assert dates.duration_round(arg) == text


def test_now_and_ago() -> None:
    n = dates.now()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}", n.__go_string__()
    )
    assert dates.ago(dates.date_modify("-2h", dates.now())) == "2h0m0s"
    assert dates.ago(dates.date_modify("90m", dates.now())) == "-1h30m0s"
    assert dates.duration_round(dates.date_modify("-50h", dates.now())) == "2d"
    assert re.fullmatch(r"\d+h\d+m\d+s", dates.ago(GoInt(0)))
    assert dates.ago("x") == "0s"
    s = dates.date("2006-01-02T15:04:05.999999999Z07:00", n)
    back = dates.to_date("2006-01-02T15:04:05.999999999Z07:00", s)
    assert back.Equal(n) and dates.unix_epoch(back) == dates.unix_epoch(n)


@pytest.mark.parametrize(
    ("layout", "value", "text"),
    [  # recorded from Helm run with TZ=America/New_York
        ("2006-01-02 15:04", "2020-03-08 02:30", "2020-03-08 01:30:00 -0500 EST"),
        ("2006-01-02 15:04", "2020-11-01 01:30", "2020-11-01 01:30:00 -0400 EDT"),
        ("2006-01-02 15:04 MST", "2020-07-01 10:00 EDT", "2020-07-01 10:00:00 -0400 EDT"),
        (
            "2006-01-02 15:04 -0700 MST",
            "2020-07-01 10:00 -0500 EDT",
            "2020-07-01 10:00:00 -0500 EDT",
        ),
    ],
)
def test_to_date_in_a_dst_local_zone(
    monkeypatch: pytest.MonkeyPatch, layout: str, value: str, text: str
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert dates.to_date(layout, value).__go_string__() == text
