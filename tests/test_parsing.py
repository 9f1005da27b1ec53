"""The small shared helpers: one COL=VALUE parser, one hash, capped quotes, fast column checks."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from indicators import claims, query
from indicators.errors import Problem, clip
from indicators.hashing import sha256_bytes, sha256_file
from indicators.sources.base import constant, duplicated_codes


def test_one_col_value_parser_for_cli_and_claims():
    # --where items (CLI, export) and a claim's ';'-separated filters give the same pairs
    items = ["drug=fentanyl", " unit = lb ", "series=a=b"]
    assert query.parse_where(items) == [("drug", "fentanyl"), ("unit", "lb"), ("series", "a=b")]
    assert query.parse_pairs("drug=fentanyl; unit = lb ;;series=a=b") == query.parse_where(items)
    assert claims.parse_filters("agency=CBP;agency=DEA; drug=fentanyl") == {
        "agency": ["CBP", "DEA"],
        "drug": ["fentanyl"],
    }
    assert claims.parse_filters("") == {} and claims.parse_filters(None) == {}


def test_col_value_parser_errors_keep_their_type():
    with pytest.raises(query.QueryError, match="'drug' is not COL=VALUE"):
        query.parse_where(["drug"])
    with pytest.raises(query.QueryError, match="'' is not COL=VALUE"):
        query.parse_where([""])
    with pytest.raises(claims.ClaimError, match="'oops' is not COL=VALUE"):
        claims.parse_filters("drug=fentanyl;oops")


def test_filter_rows_takes_parsed_pairs():
    df = pd.DataFrame({"drug": ["a", "b", "c"], "n": [1, 2, 3]})
    got = query.filter_rows(df, query.parse_pairs("drug=a;drug=c"))
    assert got["n"].tolist() == [1, 3]


def test_one_hash(tmp_path):
    data = b"x" * (3 << 20) + b"tail"  # several read chunks
    p = tmp_path / "f.bin"
    p.write_bytes(data)
    want = hashlib.sha256(data).hexdigest()
    assert sha256_bytes(data) == sha256_file(p) == want and len(want) == 64


def test_clip_says_when_it_cut():
    assert clip("short") == "'short'"
    long = "é" * 5000
    shown = clip(long, 10)
    assert shown.startswith("'éééééééééé'") and "5,000 characters, truncated" in shown
    assert len(clip(long, 10, quote=False)) < 60
    p = Problem("not a number", "Count", [3], ["9" * 1_000_000])
    assert len(p.describe()) < 200 and "1,000,000 characters, truncated" in p.describe()


def test_duplicated_codes_matches_pandas():
    rng = np.random.default_rng(3)
    cols = [rng.integers(-1, k, 5000) for k in (3, 7, 50, 1000, 2**20)]  # -1: unknown value
    frame = pd.DataFrame({i: c for i, c in enumerate(cols)})
    assert (duplicated_codes(cols) == frame.duplicated(keep=False).to_numpy()).all()
    few = cols[:3]
    assert (duplicated_codes(few) == frame[[0, 1, 2]].duplicated(keep=False).to_numpy()).all()
    assert duplicated_codes([np.zeros(0, int)]).shape == (0,)
    # wide keys (beyond 64 bits of radix) are renumbered on the way, with the same answer
    wide = [rng.integers(0, 2**20, 5000) for _ in range(5)]
    for c in wide:
        c[100:110] = c[:10]  # rows 100-109 repeat rows 0-9
    want = pd.DataFrame(wide).T.duplicated(keep=False).to_numpy()
    assert want[:10].all() and (duplicated_codes(wide) == want).all()


def test_constant_text_column():
    s = constant("Office of Field Operations", 4)
    assert str(s.dtype) == "string" and s.tolist() == ["Office of Field Operations"] * 4
    assert constant("", 2).tolist() == ["", ""] and len(constant("x", 0)) == 0


def test_small_key_spaces_are_counted_like_pandas():
    # keys whose radix product is small take the counting path: same answer as pandas
    rng = np.random.default_rng(3)
    cols = [rng.integers(-1, 4, 3000) for _ in range(3)]  # -1 is an unknown code
    want = pd.DataFrame(cols).T.duplicated(keep=False).to_numpy()
    assert want.any() and (duplicated_codes(cols) == want).all()


def _seizure_rows(n: int = 6) -> pd.DataFrame:
    from indicators.sources.base import frame, no_dates

    ints = pd.arrays.IntegerArray(np.full(n, 2023), np.zeros(n, bool))
    return frame(
        {
            "agency": constant("CBP", n),
            "series": constant("cbp_nationwide", n),
            "component": constant("U.S. Border Patrol", n),
            "fiscal_year": ints.copy(),
            "year": ints.copy(),
            "month": pd.arrays.IntegerArray(np.arange(1, n + 1), np.zeros(n, bool)),
            "coverage": constant("month", n),
            "as_of": no_dates(n),
            "region": constant("Southwest Border", n),
            "land_filter": constant("Land", n),
            "area_of_responsibility": constant("TUCSON SECTOR", n),
            "drug": constant("fentanyl", n),
            "form": constant("", n),
            "events": pd.arrays.IntegerArray(np.ones(n, np.int64), np.zeros(n, bool)),
            "quantity": pd.arrays.FloatingArray(np.ones(n), np.zeros(n, bool)),
            "unit": constant("lb", n),
            "qualifier": constant("", n),
            "source_url": constant("", n),
            "source_quote": constant("", n),
            "source_id": constant("x", n),
            "vintage": constant("2023-06", n),
            "_row": np.arange(n) + 10,
        },
        n,
    )


def test_contract_fast_checks_still_name_every_bad_cell():
    # the array-level checks pass a clean frame; any bad cell goes to the full check, which
    # names the column, the rows (file lines from _row) and the values
    from indicators import contract

    rows = _seizure_rows()
    assert contract.problems(rows, "seizures") == []
    bad = rows.copy()
    bad.loc[2, "drug"] = "kryptonite"  # a constant column, its values known: now changed
    bad.loc[3, "month"] = 13
    bad.loc[4, "quantity"] = -1.0
    bad.loc[1, "year"] = None
    bad.loc[5, "quantity"] = float("nan")
    found = {
        (p.column, p.message): (p.lines, p.examples) for p in contract.problems(bad, "seizures")
    }
    assert found[("drug", "value not in the code list (11 codes)")] == ([14], ["kryptonite"])
    assert found[("month", "above the maximum 12")] == ([15], ["13"])
    assert found[("quantity", "below the minimum 0 (counts cannot be negative)")][0] == [16]
    assert found[("year", "empty value where one is required")][0] == [13]
    assert found[("quantity", "empty value where one is required")][0] == [17]
    owned = contract.conform(rows, "seizures")
    pd.testing.assert_frame_equal(contract.conform(rows, "seizures", copy=False), owned)
    owned.loc[0, "events"] = 7  # by default the frame has its own copy of every column
    assert rows["events"].iloc[0] == 1


def test_numbers_fast_path_keeps_the_checks():
    from indicators.errors import InputError
    from indicators.sources import parse_bytes

    head = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,"
    head += "Count of Event,Sum Qty (lbs)\n"
    row = "2023,OCT,U.S. Border Patrol,Southwest Border,Land Only,TUCSON SECTOR,{d},{e},{q}\n"
    ok = head + row.format(d="Fentanyl", e='"1,234"', q="2.5") + row.format(d="Heroin", e=3, q=1)
    p = parse_bytes(ok.encode(), "s.csv")
    assert p.rows["events"].tolist() == [1234, 3] and p.rows["quantity"].tolist() == [2.5, 1.0]
    for e, q, message in (
        ("0x10", "1", "not a number"),
        ("", "1", "empty where a number is required"),
        ("1", "nan", "not a number"),
        ("1", "inf", "not a finite number"),
        ("1", "-Infinity", "not a finite number"),
        ("1", "1e999", "not a finite number"),
        ("inf", "1", "not a finite number"),
        ("1.5", "1", "not a whole number"),
        ("-2", "1", "negative count"),
    ):
        bad = head + row.format(d="Fentanyl", e=1, q=1) + row.format(d="Heroin", e=e, q=q)
        with pytest.raises(InputError) as exc:
            parse_bytes(bad.encode(), "s.csv")
        assert any(p.message == message and p.lines == [3] for p in exc.value.problems), (
            e,
            q,
            exc.value.problems,
        )
