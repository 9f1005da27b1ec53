"""Property-based: random and mutated CSVs either parse to a valid table or give a clear
InputError; never another exception, never a partial write."""

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import contract, ingest, sources
from indicators.errors import DecisionNeeded, InputError
from indicators.store import Store

FIX = Path(__file__).parent / "fixtures"
SEEDS = [
    "cbp_seizures_fy23_excerpt.csv",
    "cbp_amo_excerpt.csv",
    "cbp_state_fy22_fy25_excerpt.csv",
    "cbp_aor_cbp_header_excerpt.csv",
    "vsrr_us_excerpt.csv",
    "vsrr_old10_bom_excerpt.csv",
    "vsrr_december_extract_excerpt.csv",
    "nchs_annual_excerpt.csv",
    "nchs_state_compilation_excerpt.csv",
    "sosmap_excerpt.csv",
    "dea_excerpt.csv",
    "census_2024_excerpt.csv",
]
ROWS = {
    name: list(csv.reader(io.StringIO((FIX / name).read_bytes().decode("utf-8-sig"))))
    for name in SEEDS
}


def check(data: bytes, name: str = "fuzz.csv") -> None:
    try:
        parsed = sources.parse_bytes(data, name)
    except InputError as exc:
        assert exc.problems and str(exc).startswith(name)
        return
    assert len(parsed.rows) > 0
    assert contract.problems(parsed.rows, parsed.table) == []
    assert list(parsed.rows.columns) == contract.table(parsed.table).names


def to_bytes(rows: list[list[str]], encoding: str = "utf-8", newline: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(SEEDS))
    rows = [list(r) for r in ROWS[name][: 1 + draw(st.integers(0, 25))]]
    ops = draw(
        st.lists(
            st.sampled_from(
                [
                    "shuffle_cols",
                    "rename_col",
                    "truncate",
                    "quote",
                    "huge",
                    "blank_cell",
                    "text_in_number",
                    "negate",
                    "drop_col",
                    "dup_row",
                ]
            ),
            max_size=3,
        )
    )
    for op in ops:
        ncol = max(1, len(rows[0]))
        rows = [r + [""] * (ncol - len(r)) if op != "truncate" else r for r in rows]
        if op == "shuffle_cols":
            perm = draw(st.permutations(range(ncol)))
            rows = [[r[i] if i < len(r) else "" for i in perm] for r in rows]
        elif op == "rename_col":
            rows[0][draw(st.integers(0, ncol - 1))] = draw(st.text(min_size=0, max_size=12))
        elif op == "truncate" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r] = rows[r][: draw(st.integers(0, ncol))]
        elif op == "quote" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r][0] = '"' + (rows[r][0] if rows[r] else "")
        elif op == "huge" and len(rows) > 1:
            rows[draw(st.integers(1, len(rows) - 1))][draw(st.integers(0, ncol - 1))] = "x" * draw(
                st.integers(1000, 200_000)
            )
        elif op == "blank_cell" and len(rows) > 1:
            rows[draw(st.integers(1, len(rows) - 1))][draw(st.integers(0, ncol - 1))] = ""
        elif op == "text_in_number" and len(rows) > 1:
            rows[draw(st.integers(1, len(rows) - 1))][ncol - 1] = draw(
                st.sampled_from(["n/a", "1e400", "--", "١٢", "NaN", "inf", "1,2,3"])
            )
        elif op == "negate" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            rows[r][ncol - 1] = "-" + rows[r][ncol - 1]
        elif op == "drop_col":
            c = draw(st.integers(0, ncol - 1))
            rows = [r[:c] + r[c + 1 :] for r in rows]
            if not rows[0]:
                rows[0] = ["x"]
        elif op == "dup_row" and len(rows) > 1:
            rows.append(list(rows[1]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    data = to_bytes(rows, enc, nl)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_official_files(data):
    check(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=6), min_size=0, max_size=8))
def test_random_tables(rows):
    check(to_bytes(rows))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(mutated())
def test_failed_ingest_never_writes(data_dir, data):
    store = Store(data_dir)
    before = (store.dir / "CURRENT").read_text()
    versions = sorted(p.name for p in store.versions.iterdir())
    f = data_dir / "upload.csv"
    f.write_bytes(data)
    try:
        ingest.ingest([f], store)
    except (InputError, DecisionNeeded):  # refused: a bad file, or an editor's decision open
        assert (store.dir / "CURRENT").read_text() == before
        assert sorted(p.name for p in store.versions.iterdir()) == versions
        return
    assert store.verify() == []
    if (store.dir / "CURRENT").read_text() != before:
        store.rollback(int(before))  # keep the next example's store as it was
