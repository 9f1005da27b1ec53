import datetime as dt

import pandas as pd
import pytest

from indicators import periods


@pytest.mark.parametrize(
    "text,month",
    [
        ("OCT", 10),
        ("Oct", 10),
        ("October", 10),
        ("01 October", 10),
        ("12 September", 9),
        ("sept", 9),
        ("2", 2),
        ("JAN", 1),
    ],
)
def test_parse_month(text, month):
    assert periods.parse_month(text) == month


@pytest.mark.parametrize("text", ["", "13", "OCTOBRE", "0", None])
def test_parse_month_rejects(text):
    assert periods.parse_month(text) is None


@pytest.mark.parametrize(
    "text,out", [("2023", (2023, False)), ("2026 (FYTD)", (2026, True)), ("FY2024", (2024, False))]
)
def test_parse_fiscal_year(text, out):
    assert periods.parse_fiscal_year(text) == out


def test_fiscal_calendar_round_trip():
    for y in (2019, 2023, 2026):
        for m in range(1, 13):
            fy = periods.calendar_to_fiscal_year(y, m)
            assert periods.fiscal_to_calendar_year(fy, m) == y
            assert fy == (y + 1 if m >= 10 else y)
    # FY2023 ran from October 2022 to September 2023
    assert periods.fiscal_to_calendar_year(2023, 10) == 2022
    assert periods.fiscal_to_calendar_year(2023, 9) == 2023


def test_vectorised_conversion_matches_scalar():
    fy = pd.Series([2023] * 12, dtype="Int64")
    m = pd.Series(range(1, 13), dtype="Int64")
    cal = periods.fiscal_years(fy, m)
    assert cal.tolist() == [periods.fiscal_to_calendar_year(2023, int(x)) for x in m]
    assert [
        periods.calendar_to_fiscal_year(int(y), int(x)) for y, x in zip(cal, m, strict=True)
    ] == [2023] * 12


def test_month_ends_vectorised():
    y = pd.Series([2024, 2023, 2024, None], dtype="Int64")
    m = pd.Series([2, 2, 12, 5], dtype="Int64")
    got = periods.month_ends(y, m)
    assert str(got.dtype) == "datetime64[ms]"
    assert got[:3].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-29", "2023-02-28", "2024-12-31"]
    assert pd.isna(got[3])
    for yy, mm, d in zip(y[:3], m[:3], got[:3], strict=True):
        assert d.date() == periods.month_end(int(yy), int(mm))


def test_coverage_marks_partial_years():
    """series.with_coverage, the one place partial years are decided (charts hatch them)."""
    from indicators.filters import Filters
    from indicators.series import with_coverage

    # FY2026 with Oct-Apr only; FY2025 complete
    rows = [(2025, m) for m in range(1, 13)] + [(2026, m) for m in (10, 11, 12, 1, 2, 3, 4)]
    df = pd.DataFrame({"fiscal_year": [r[0] for r in rows], "month": [r[1] for r in rows]})
    df["fiscal_year"] = df.fiscal_year.astype("Int64")
    df["month"] = df.month.astype("Int64")
    df["year"] = periods.fiscal_years(df.fiscal_year, df.month)
    df["n"] = 1
    fy = with_coverage(df, Filters(basis="fiscal", year_from=2020, year_to=2030), "n", [])
    fy = fy.set_index("year")
    assert not fy.loc[2025, "partial"] and fy.loc[2025, "months"] == 12
    assert fy.loc[2026, "partial"] and fy.loc[2026, "months"] == 7 and fy.loc[2026, "n"] == 7
    assert fy.loc[2026, "months_label"] == "Oct 2025-Apr 2026"
    cal = with_coverage(df, Filters(basis="calendar", year_from=2020, year_to=2030), "n", [])
    cal = cal.set_index("year")
    # On a calendar basis, FY2025's Oct-Dec 2024 make calendar 2024 partial
    assert cal.loc[2024, "partial"] and cal.loc[2025, "months"] == 12
    assert cal.loc[2026, "months"] == 4 and cal.loc[2026, "partial"]


def test_current_fiscal_year():
    assert periods.current_fiscal_year(dt.date(2026, 11, 28)) == 2027
    assert periods.current_fiscal_year(dt.date(2026, 9, 30)) == 2026
