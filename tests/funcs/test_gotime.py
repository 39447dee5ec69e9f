"""Direct tests of kelm.golang.time against Go's documented time behaviour."""

from __future__ import annotations

import re

import pytest

from kelm.golang import time as gt
from kelm.golang.value import GoError

# 2009-02-03T04:05:06.123456789Z
T0 = gt.GoTime(1233633906, 123456789, gt.UTC)
NS = gt.NS


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1100, "1.1µs"),
        (2_200_000, "2.2ms"),
        (1_500_000_000, "1.5s"),
        (-90 * NS, "-1m30s"),
        (3700 * NS, "1h1m40s"),
        (72 * 3600 * NS + NS // 2, "72h0m0.5s"),
        (gt.INT64_MIN, "-2562047h47m16.854775808s"),
        (gt.INT64_MAX, "2562047h47m16.854775807s"),
    ],
)
def test_duration_string(d: int, text: str) -> None:
    assert gt.duration_string(d) == text


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("0", 0),
        ("-0", 0),
        ("1h1m40s", 3700 * NS),
        ("1.5s", 1_500_000_000),
        ("-1.5h", -5400 * NS),
        (".5m", 30 * NS),
        ("1.s", NS),
        ("1µs", 1000),
        ("1μs", 1000),
        ("1us2ns", 1002),
        ("9223372036854775807ns", gt.INT64_MAX),
        ("-9223372036854775808ns", gt.INT64_MIN),
    ],
)
def test_parse_duration(text: str, ns: int) -> None:
    assert gt.parse_duration(text) == ns


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("x", 'time: invalid duration "x"'),
        ("5", 'time: missing unit in duration "5"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),
        (".s", 'time: invalid duration ".s"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(GoError) as err:
        gt.parse_duration(text)
    assert str(err.value) == message


def test_duration_values_print_like_go() -> None:
    assert gt.duration_string(gt.Duration(1)) == "1ns"
    assert gt.Duration(-1500).__go_string__() == "-1.5µs"
    assert gt.Duration(90 * NS).Minutes() == 1.5


def test_round_duration() -> None:
    assert gt.round_duration(1_499_999_999, NS) == NS
    assert gt.round_duration(1_500_000_000, NS) == 2 * NS
    assert gt.round_duration(-1_500_000_000, NS) == -2 * NS
    assert gt.round_duration(-1_499_999_999, NS) == -NS
    assert gt.round_duration(gt.INT64_MAX, 3600 * NS) == gt.INT64_MAX


@pytest.mark.parametrize(
    ("layout", "text"),
    [
        ("2006-01-02 15:04:05.999999999 -0700 MST", "2009-02-03 04:05:06.123456789 +0000 UTC"),
        ("Mon Jan _2 15:04:05 2006", "Tue Feb  3 04:05:06 2009"),
        ("Monday January 2 3:04PM pm", "Tuesday February 3 4:05AM am"),
        ("06 1 2 3 4 5 002 __2", "09 2 3 4 5 6 034  34"),
        (".000 ,000000 .9 .99999 .0000000000", ".123 ,123456 .1 .12345 .123456789"),
        ("Z07:00 Z0700 Z07 -07:00:00", "Z Z Z +00:00:00"),
        ("Janet Monkey", "Janet Monkey"),
        ("Jan1 MonX", "Feb2 TueX"),
        ("_2006", "_2009"),
    ],
)
def test_format_layouts(layout: str, text: str) -> None:
    assert gt.format_time(T0, layout) == text


def test_format_zones() -> None:
    t = T0.In(gt.load_location("Asia/Kolkata"))
    assert t.Format("2006-01-02 15:04 MST -07:00 Z0700") == "2009-02-03 09:35 IST +05:30 +0530"
    ny = gt.GoTime(1593864000, 0, gt.load_location("America/New_York"))  # 2020-07-04 12:00Z
    assert ny.Format("15:04 MST -0700") == "08:00 EDT -0400"
    assert gt.GoTime(0, 0, gt.fixed_zone("", -12600)).Format("MST") == "-0330"


def test_zero_time_and_string() -> None:
    z = gt.zero_time()
    assert z.__go_string__() == "0001-01-01 00:00:00 +0000 UTC"
    assert z.IsZero() and z.Year() == 1 and z.Unix() == -62135596800
    mono = gt.now().__go_string__()
    assert re.search(r" m=\+\d+\.\d{9}$", mono)
    assert " m=" not in gt.now().UTC().__go_string__()


def test_negative_and_far_years() -> None:
    t = gt.GoTime(-62198755200, 0, gt.UTC)
    assert t.Format("2006-01-02 06") == "-0001-01-01 01"
    big = gt.GoTime(253402300800, 0, gt.UTC)
    assert big.Format("2006-01-02") == "10000-01-01"


@pytest.mark.parametrize("days", [-800000, -719468, -1, 0, 59, 365, 10957, 2932896])
def test_civil_roundtrip(days: int) -> None:
    assert gt.days_from_civil(*gt.civil_from_days(days)) == days


def test_methods() -> None:
    assert (T0.Year(), int(T0.Month()), T0.Day(), T0.YearDay()) == (2009, 2, 3, 34)
    assert T0.Month().__go_string__() == "February"
    assert T0.Weekday().__go_string__() == "Tuesday"
    assert (T0.Hour(), T0.Minute(), T0.Second(), T0.Nanosecond()) == (4, 5, 6, 123456789)
    assert T0.UnixNano() == 1233633906123456789 and T0.UnixMilli() == 1233633906123
    jan31 = gt.parse_time("2006-01-02", "2020-01-31")
    assert jan31.AddDate(0, 1, 0).Format("2006-01-02") == "2020-03-02"
    assert T0.Add(-NS).Sub(T0) == -NS
    assert T0.Truncate(3600 * NS).Format("15:04:05.999") == "04:00:00"
    assert T0.Round(3600 * NS).Format("15:04") == "04:00"
    assert T0.Before(T0.Add(1)) and T0.After(T0.Add(-1)) and T0.Equal(T0.In(gt.fixed_zone("X", 60)))
    assert T0.__go_json__() == '"2009-02-03T04:05:06.123456789Z"'


@pytest.mark.parametrize(
    ("layout", "value", "text"),
    [
        ("2006-01-02", "2020-05-17", "2020-05-17 00:00:00 +0000 UTC"),
        (
            "2006-01-02T15:04:05Z07:00",
            "2020-05-17T10:00:00+02:00",
            "2020-05-17 10:00:00 +0200 +0200",
        ),
        ("2006-01-02 MST", "2020-05-17 PST", "2020-05-17 00:00:00 +0000 PST"),
        ("2006-01-02 MST", "2020-05-17 GMT+3", "2020-05-17 03:00:00 +0300 GMT+3"),
        ("Jan _2 15:04:05.999", "Feb  3 04:05:06.5", "0000-02-03 04:05:06.5 +0000 UTC"),
        ("2006 002", "2020 060", "2020-02-29 00:00:00 +0000 UTC"),
        ("3:04PM", "12:30AM", "0000-01-01 00:30:00 +0000 UTC"),
        ("2006-01-02 15:04:05", "2020-05-17 10:00:00,5", "2020-05-17 10:00:00.5 +0000 UTC"),
    ],
)
def test_parse(layout: str, value: str, text: str) -> None:
    assert gt.parse_time(layout, value, gt.local()).__go_string__() == text


@pytest.mark.parametrize(
    ("layout", "value", "message"),
    [
        ("2006-01-02", "2020-02-30", 'parsing time "2020-02-30": day out of range'),
        ("2006-01-02", "x", 'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'),
        ("2006-01-02", "2020-05-17 x", 'parsing time "2020-05-17 x": extra text: " x"'),
        ("2006-01-02", "2020-13-01", 'parsing time "2020-13-01": month out of range'),
        ("15:04", "25:00", 'parsing time "25:00": hour out of range'),
        ("2006 002", "2021 366", 'parsing time "2021 366": day-of-year out of range'),
        ("-070000:", "-300a0:", 'parsing time "-300a0:": time zone offset hour out of range'),
        ("2006", "2020é1", 'parsing time "2020\\xc3\\xa91": extra text: "\\xc3\\xa91"'),
        (
            "2006 é",
            "2020 è",
            'parsing time "2020 \\xc3\\xa8" as "2006 \\xc3\\xa9": '
            'cannot parse "\\xa8" as " \\xc3\\xa9"',
        ),
    ],
)
def test_parse_errors(layout: str, value: str, message: str) -> None:
    with pytest.raises(GoError) as err:
        gt.parse_time(layout, value)
    assert str(err.value) == message


def test_locations(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(GoError, match="unknown time zone Nowhere/Zone"):
        gt.load_location("Nowhere/Zone")
    assert gt.load_location("").name == "UTC"
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert gt.unix(0).Format("15:04 MST") == "09:00 JST"
    monkeypatch.setenv("TZ", "")
    assert gt.unix(0).Format("15:04 MST") == "00:00 UTC"
    monkeypatch.setenv("TZ", "Bogus/Zone")
    assert gt.unix(0).Format("MST") == "UTC"


def test_is_dst() -> None:
    ny = gt.load_location("America/New_York")
    assert gt.GoTime(1593864000, 0, ny).IsDST()  # July
    assert not gt.GoTime(1577880000, 0, ny).IsDST()  # January
    assert not T0.IsDST()
