"""Every official layout, recognised by its header and parsed from real excerpts."""

import csv
import io
import math
import re

import pytest

from indicators import contract, sources
from indicators.errors import InputError, UnrecognisedFile


def rows_of(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def num(s):
    return float(s.replace(",", "")) if s else math.nan


def test_cbp_nationwide_seizures(fixture_path):
    p = fixture_path("cbp_seizures_fy23_excerpt.csv")
    parsed = sources.parse_path(p)
    assert parsed.layout.id == "cbp_seizures_nationwide" and parsed.table == "seizures"
    raw = rows_of(p)
    assert len(parsed.rows) == len(raw)
    # Tucson OFO fentanyl, FY2023: the parser's sum equals the file's own rows
    want = sum(
        float(r["Sum Qty (lbs)"])
        for r in raw
        if r["FY"] == "2023" and r["Area of Responsibility"] == "TUCSON FIELD OFFICE"
    )
    got = parsed.rows.query(
        "fiscal_year == 2023 and area_of_responsibility == 'TUCSON FIELD OFFICE'"
    ).quantity.sum()
    assert got == pytest.approx(want) and want > 0
    # FYTD label parsed to the year, and calendar years right on monthly rows
    r = parsed.rows
    assert set(r.loc[r.fiscal_year == 2026, "month"]) <= {10, 11, 12, 1, 2, 3, 4}
    assert (r.loc[(r.fiscal_year == 2026) & (r.month == 10), "year"] == 2025).all()
    assert (r.loc[(r.fiscal_year == 2026) & (r.month == 4), "year"] == 2026).all()
    assert set(r.land_filter) <= {"Land", "Other"} and set(r.unit) == {
        "lb"
    }  # 'Land Only' normalised
    assert any("FY2026 is year to date" in n for n in parsed.notes)


def test_cbp_amo_seizures(fixture_path):
    parsed = sources.parse_path(fixture_path("cbp_amo_excerpt.csv"))
    assert parsed.layout.id == "cbp_seizures_amo"
    assert set(parsed.rows.component) == {"Air and Marine Operations"} and set(
        parsed.rows.series
    ) == {"cbp_amo"}
    assert parsed.vintage == "2025-12"  # through December 2025 (FY2026 Oct-Dec)


@pytest.mark.parametrize(
    "name,layout",
    [
        ("cbp_aor_tidytuesday_excerpt.csv", "cbp_encounters_aor_tidytuesday"),
        ("cbp_aor_cbp_header_excerpt.csv", "cbp_encounters_aor"),
    ],
)
def test_cbp_aor_both_headers(fixture_path, name, layout):
    p = fixture_path(name)
    parsed = sources.parse_path(p)
    assert parsed.layout.id == layout and parsed.table == "encounters"
    raw = rows_of(p)
    count_col = "encounter_count" if "encounter_count" in raw[0] else "Encounter Count"
    assert parsed.rows.encounters.sum() == sum(int(r[count_col]) for r in raw)
    # 'UC / Single Minors' of the 2023 vintage is normalised to the current 'UAC'
    assert "UC / Single Minors" not in set(parsed.rows.demographic)
    assert set(parsed.rows.demographic) <= set(contract.DEMOGRAPHICS)
    assert set(parsed.rows.citizenship) == {"CHINA, PEOPLES REPUBLIC OF"}


def test_cbp_by_state(fixture_path):
    old = sources.parse_path(fixture_path("cbp_state_fy20_fy23_excerpt.csv"))
    new = sources.parse_path(fixture_path("cbp_state_fy22_fy25_excerpt.csv"))
    assert old.table == new.table == "encounters_by_state"
    assert old.vintage == "2023-09" and new.vintage == "2025-09"
    assert set(old.rows.demographic) <= set(contract.DEMOGRAPHICS)


def test_vsrr_current_layout(fixture_path):
    p = fixture_path("vsrr_us_excerpt.csv")
    parsed = sources.parse_path(p)
    assert parsed.layout.id == "cdc_vsrr"
    r = parsed.rows.set_index(["drug", "year", "month"])
    raw = {(x["Indicator"], x["Month"]): x for x in rows_of(p)}
    dec = raw[("Synthetic opioids, excl. methadone (T40.4)", "December")]
    # thousands separators read as numbers
    assert r.loc[("synthetic_opioids", 2023, 12), "deaths"] == num(dec["Data Value"])
    assert r.loc[("synthetic_opioids", 2023, 12), "deaths_predicted"] == num(dec["Predicted Value"])
    # all-cause deaths are not overdose deaths: skipped and said so
    assert "Number of Deaths" not in set(parsed.rows.drug)
    assert any("skipped" in n for n in parsed.notes)
    assert set(parsed.rows.period_type) == {"12_month_ending"} and set(parsed.rows.status) == {
        "provisional"
    }


def test_vsrr_old_10_column_layout_with_bom(fixture_path):
    p = fixture_path("vsrr_old10_bom_excerpt.csv")
    assert p.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert "99+" in p.read_text(encoding="utf-8-sig")
    parsed = sources.parse_path(p)
    assert parsed.layout.id == "cdc_vsrr_old10"
    mi = parsed.rows[(parsed.rows.geo == "MI") & (parsed.rows.drug == "all_drugs")]
    assert (
        len(mi) > 0 and mi.deaths_predicted.isna().all()
    )  # the old layout has no predicted values


def test_vsrr_december_extract_names_to_codes(fixture_path):
    parsed = sources.parse_path(fixture_path("vsrr_december_extract_excerpt.csv"))
    assert parsed.layout.id == "cdc_vsrr_december_extract"
    assert {"WV", "NY", "YC"} <= set(parsed.rows.geo)  # New York City kept apart, as CDC reports it
    assert set(parsed.rows.month) == {12}


def test_nchs_final_layouts(fixture_path):
    annual = sources.parse_path(fixture_path("nchs_annual_excerpt.csv"))
    raw = {
        (r["year"], r["drug_category"]): r
        for r in rows_of(fixture_path("nchs_annual_excerpt.csv"))
        if r["deaths"]
    }
    a = annual.rows.set_index(["year", "drug"])
    assert a.loc[(2022, "all_drugs"), "deaths"] == int(raw[("2022", "all_drugs")]["deaths"])
    # a count row and a rate row for the same year are combined into one
    assert a.index.is_unique
    comp = sources.parse_path(fixture_path("nchs_state_compilation_excerpt.csv"))
    assert comp.layout.id == "nchs_final_by_state_compilation"
    assert sorted(comp.rows.year.unique()) == [2016, 2017, 2018, 2019, 2020]
    sos = sources.parse_path(fixture_path("sosmap_excerpt.csv"))
    assert sos.rows.deaths.sum() == sum(
        int(r["DEATHS"]) for r in rows_of(fixture_path("sosmap_excerpt.csv"))
    )
    nchs = sources.parse_path(fixture_path("nchs_poisoning_excerpt.csv"))
    assert (
        set(nchs.rows.geo) == {"WV", "US"} and len(nchs.rows) == 2
    )  # only the all-ages, both-sexes rows


def test_dea_revisions_never_double_count(fixture_path):
    parsed = sources.parse_path(fixture_path("dea_excerpt.csv"))
    r = parsed.rows
    full = r[r.coverage == "year"]
    # one current figure per agency, measure and year
    assert not full.duplicated(["agency", "series", "year"]).any()
    dea22 = full[
        (full.agency == "DEA") & (full.series == "fentanyl_pills") & (full.year == 2022)
    ].quantity
    assert dea22.tolist() == [58_300_000]  # the revised figure, not the first announcement
    hidta21 = full[(full.agency == "HIDTA") & (full.year == 2021)].quantity
    assert hidta21.tolist() == [11_450_142]
    assert (r.source_url != "").all() and (r.source_quote != "").all()
    assert len([n for n in parsed.notes if "superseded" in n]) == 4


def test_census(fixture_path):
    parsed = sources.parse_path(fixture_path("census_2024_excerpt.csv"))
    assert parsed.table == "population"
    assert set(parsed.rows.geo) == {"US", "WV", "NY"}
    assert sorted(parsed.rows.year.unique()) == [2020, 2021, 2022, 2023, 2024]


def test_latin1_file_is_read_and_reported(fixture_path):
    parsed = sources.parse_path(fixture_path("latin1_vsrr_excerpt.csv"))
    assert parsed.encoding == "windows-1252"
    assert any("read as windows-1252" in n for n in parsed.notes)


def test_gzip_is_transparent(fixture_path, tmp_path):
    import gzip

    src = fixture_path("cbp_seizures_fy23_excerpt.csv")
    gz = tmp_path / "x.csv.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    a, b = sources.parse_path(gz).rows, sources.parse_path(src).rows
    assert a.drop(columns="source_id").equals(b.drop(columns="source_id"))


@pytest.mark.parametrize(
    "name,column,line,words",
    [
        ("bad_nonnumeric.csv", "Count of Event", 4, "not a number"),
        ("bad_negative.csv", "Sum Qty (lbs)", 5, "negative"),
        ("bad_future_fy.csv", "FY", 5, "future"),
        ("bad_month.csv", "Month (abbv)", 5, "month"),
    ],
)
def test_bad_values_name_file_line_and_column(fixture_path, name, column, line, words):
    with pytest.raises(InputError) as exc:
        sources.parse_path(fixture_path(name))
    msg = str(exc.value)
    assert name in msg and f"'{column}'" in msg and f"line {line}" in msg and words in msg


@pytest.mark.parametrize(
    "name,words",
    [
        ("bad_empty.csv", "empty"),
        ("bad_header_only.csv", "no data rows"),
        ("bad_utf16_nobom.csv", "NUL"),
    ],
)
def test_unreadable_files(fixture_path, name, words):
    with pytest.raises(InputError, match=words):
        sources.parse_path(fixture_path(name))


def test_wrong_header_names_closest_layout(fixture_path):
    with pytest.raises(UnrecognisedFile) as exc:
        sources.parse_path(fixture_path("bad_wrong_header.csv"))
    msg = str(exc.value)
    assert "matches no known layout" in msg and "CBP Nationwide Drug Seizures" in msg
    assert (
        "missing ['Drug Type', 'Sum Qty (lbs)']" in msg
        and "unexpected ['Drug', 'Quantity (lbs)']" in msg
    )


def test_unrelated_header_lists_known_layouts():
    with pytest.raises(UnrecognisedFile, match="Known layouts: .*CDC VSRR"):
        sources.parse_bytes(b"a,b,c\n1,2,3\n", "other.csv")


def test_by_state_file_refused_as_by_area_table(fixture_path):
    with pytest.raises(InputError, match="never combined"):
        sources.parse_path(
            fixture_path("cbp_state_fy22_fy25_excerpt.csv"), expect_table="encounters"
        )


def test_excel_workbook_refused():
    with pytest.raises(InputError, match="Excel"):
        sources.parse_bytes(b"PK\x03\x04" + b"\x00" * 100, "book.xlsx")


def test_project_layout_round_trip(store, tmp_path):
    from indicators.export import safe_csv

    df = store.load("claims")
    p = tmp_path / "claims.csv"
    p.write_text(df.to_csv(index=False))
    parsed = sources.parse_path(p)
    assert parsed.layout.id == "project_claims"
    assert parsed.rows.equals(contract.conform(df, "claims"))
    assert safe_csv(df)  # exported form is readable too


# --- hostile sizes and contents (issue 11) ---------------------------------------------------


def _with_cell(fixture_path, column: str, value: str, row: int = 3) -> bytes:
    rows = list(csv.reader(io.StringIO(fixture_path("cbp_seizures_fy23_excerpt.csv").read_text())))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("column", ["Count of Event", "Drug Type", "FY"])
def test_a_huge_cell_is_quoted_cut_not_whole(fixture_path, column):
    data = _with_cell(fixture_path, column, "9" * 10 + "x" * 3_000_000)
    with pytest.raises(InputError) as exc:
        sources.parse_bytes(data, "huge.csv")
    msg = str(exc.value)
    assert len(msg) < 2_000, len(msg)
    assert "huge.csv" in msg and f"'{column}'" in msg and "line 3" in msg
    assert "3,000,010 characters, truncated" in msg


def test_a_huge_header_name_is_cut_in_the_message():
    data = b"FY,Month (abbv)," + b"y" * 3_000_000 + b"\n2023,OCT,1\n"
    with pytest.raises(UnrecognisedFile) as exc:
        sources.parse_bytes(data, "header.csv")
    msg = str(exc.value)
    assert len(msg) < 5_000 and "3,000,000 characters, truncated" in msg


def test_a_huge_malformed_row_is_not_echoed():
    rows = b"a,b\n1,2\n" + b"3," + b"z" * 3_000_000 + b",5\n"
    with pytest.raises(InputError) as exc:
        sources.parse_bytes(rows, "ragged.csv")
    msg = str(exc.value)
    assert len(msg) < 2_000 and "line 3" in msg and "3 fields where the header has 2" in msg


def _junk(n: int, seed: int = 12) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


@pytest.mark.parametrize(
    "data",
    [
        _junk(4096),  # random bytes, NULs and all
        _junk(4096).replace(b"\x00", b"").replace(b"\n", b""),  # no NUL, one "line"
        _junk(300).replace(b"\x00", b"A"),
    ],
    ids=["random", "no-nul-no-newline", "short"],
)
def test_binary_junk_is_called_binary(data):
    with pytest.raises(InputError) as exc:
        sources.parse_bytes(data, "garbage.csv")
    msg = str(exc.value)
    assert "binary" in msg and "not a text CSV" in msg
    assert "no data rows" not in msg and "header" not in msg


@pytest.mark.parametrize(
    "head,words",
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel (.xls)"),
        (b"PAR1", "Parquet"),
        (b"BZh91AY&SY", "bzip2"),
    ],
)
def test_known_binary_formats_are_named(head, words):
    with pytest.raises(InputError, match=re.escape(words)):
        sources.parse_bytes(head + _junk(200), "report.csv")


def test_text_with_one_stray_control_byte_is_still_read(fixture_path):
    """A form feed or one odd control byte in a real CSV does not make it 'binary'."""
    data = fixture_path("cbp_amo_excerpt.csv").read_bytes()
    parsed = sources.parse_bytes(data.replace(b"\n", b"\n\x0c", 1), "ff.csv")
    assert parsed.layout.id == "cbp_seizures_amo"


# --- line numbers are worked out only for failing rows, and are right ------------------------


def _seizure_rows(fixture_path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(fixture_path("cbp_seizures_fy23_excerpt.csv").read_text())))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_count_quoted_line_breaks_and_blank_lines(fixture_path, newline):
    rows = _seizure_rows(fixture_path)
    rows[2][rows[0].index("Area of Responsibility")] = "TUCSON\nFIELD\nOFFICE"  # line 3, 3 lines
    rows[6][rows[0].index("Count of Event")] = "n/a"
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows[:5])
    out.write(newline)  # a blank line: skipped as a row, counted as a line
    csv.writer(out, lineterminator=newline).writerows(rows[5:])
    # rows[6] is data row 6: line 7, plus 2 extra lines in row 3, plus the blank line
    with pytest.raises(InputError, match=r"column 'Count of Event', line 10: not a number"):
        sources.parse_bytes(out.getvalue().encode(), "lines.csv")


def test_line_numbers_of_a_plain_file_are_row_plus_two(fixture_path):
    rows = _seizure_rows(fixture_path)
    for r in (4, 9):
        rows[r][rows[0].index("Sum Qty (lbs)")] = "-1"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(InputError, match=r"column 'Sum Qty \(lbs\)', lines 5, 10: negative"):
        sources.parse_bytes(out.getvalue().encode(), "plain.csv")


def test_a_file_longer_than_a_read_block_with_an_error_at_the_end(fixture_path):
    """Several pyarrow blocks (1 MiB each), the bad cell in the last one."""
    rows = _seizure_rows(fixture_path)
    body = rows[1:]
    big = [rows[0]] + [list(r) for _ in range(400) for r in body]
    for i, r in enumerate(big[1:]):  # distinct areas so no row repeats another
        r[rows[0].index("Area of Responsibility")] = f"AREA {i}"
    big[-1][rows[0].index("Month (abbv)")] = "Smarch"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(big)
    data = out.getvalue().encode()
    assert len(data) > 3 << 20
    with pytest.raises(InputError) as exc:
        sources.parse_bytes(data, "big.csv")
    assert f"column 'Month (abbv)', line {len(big)}: not a recognised month" in str(exc.value)


def test_cli_refuses_a_huge_cell_without_echoing_it(data_dir, fixture_path, tmp_path):
    """What an editor sees on stderr: a short message with file, line and column."""
    from conftest import cli

    huge = tmp_path / "huge.csv"
    huge.write_bytes(_with_cell(fixture_path, "Count of Event", "7" * 3_000_000))
    out = cli("ingest", str(huge))
    assert out.returncode == 1 and len(out.stderr) < 2_000, len(out.stderr)
    assert "huge.csv: column 'Count of Event', line 3" in out.stderr
    assert "truncated" in out.stderr and "nothing was stored" in out.stderr
