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
