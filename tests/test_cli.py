"""The `indicators` command against a copy of the data: its main() in this process (`cli`),
and the installed console script as a real subprocess (`run_cli`)."""

import json

from conftest import cli, run_cli


def test_help_lists_commands():
    r = run_cli("--help")  # the real console script
    assert r.returncode == 0
    for cmd in ("build", "query", "ingest", "history", "rollback", "verify", "claims", "export"):
        assert cmd in r.stdout


def test_query_json(data_dir):
    r = cli("query", "seizures", "--where", "agency=CBP", "--where", "drug=fentanyl", "--where", "unit=lb",
                "--where", "series=cbp_nationwide", "--by", "fiscal_year", "--sum", "quantity", "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = {x["fiscal_year"]: x["quantity"] for x in json.loads(r.stdout)}
    assert round(rows[2023], 2) == 27022.85 and 2026 in rows


def test_query_same_column_is_or(data_dir):
    one = json.loads(
        cli(
            "query", "seizures", "--where", "component=U.S. Border Patrol", "--format", "json"
        ).stdout
    )[0]["quantity"]
    two = json.loads(
        cli(
            "query",
            "seizures",
            "--where",
            "component=U.S. Border Patrol",
            "--where",
            "component=Office of Field Operations",
            "--format",
            "json",
        ).stdout
    )[0]["quantity"]
    assert two > one > 0


def test_query_csv_and_table(data_dir):
    r = cli("query", "encounters", "--by", "component", "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "component,encounters,rows"
    assert "U.S. Border Patrol" in cli("query", "encounters", "--by", "component").stdout


def test_unknown_table_or_column_exit_2(data_dir):
    r = cli("query", "nope")
    assert r.returncode == 2 and "valid tables: overdose_deaths" in r.stderr
    r = cli("query", "seizures", "--by", "colour")
    assert r.returncode == 2 and "valid columns:" in r.stderr and "quantity" in r.stderr


def test_ingest_bad_file_exit_1_store_unchanged(data_dir, fixture_path):
    before = (data_dir / "store/CURRENT").read_text()
    r = cli("ingest", str(fixture_path("bad_negative.csv")))
    assert r.returncode == 1
    assert (
        "bad_negative.csv" in r.stderr
        and "line 5" in r.stderr
        and "Sum Qty (lbs)" in r.stderr
        and "nothing was stored" in r.stderr
    )
    assert (data_dir / "store/CURRENT").read_text() == before


def test_ingest_dry_run_then_real_then_idempotent(data_dir, fixture_path, tmp_path):
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",1234.5"
    f = tmp_path / "amo_revised.csv"
    f.write_text("\n".join(src) + "\n")
    before = (data_dir / "store/CURRENT").read_text()
    r = cli("ingest", str(f), "--dry-run")
    assert (
        r.returncode == 0
        and "dry run" in r.stdout
        and "seizures:" in r.stdout
        and "1 revised" in r.stdout
    )
    assert (data_dir / "store/CURRENT").read_text() == before
    # the excerpt lacks most stored cells of the periods it spans: keep them
    r = cli("ingest", str(f), "--dropped", "keep")
    assert r.returncode == 0 and "stored as version" in r.stdout
    r = cli("ingest", str(f), "--dropped", "keep")
    assert r.returncode == 0 and "nothing changed" in r.stdout
    hist = json.loads(cli("history", "--format", "json").stdout)
    assert hist[0]["current"] is True and hist[0]["kind"] == "ingest"
    r = cli("rollback", str(hist[1]["version"]))
    assert r.returncode == 0
    assert json.loads(cli("history", "--format", "json").stdout)[0]["kind"] == "rollback"


def test_ingest_size_limit(data_dir, fixture_path):
    r = cli("ingest", str(fixture_path("cbp_amo_excerpt.csv")), "--max-mb", "0.001")
    assert r.returncode == 1 and "over the limit" in r.stderr


def test_verify_and_recover(data_dir):
    assert cli("verify").returncode == 0
    cur = json.loads(
        (
            data_dir
            / "store/versions"
            / f"{int((data_dir / 'store/CURRENT').read_text()):06d}.json"
        ).read_text()
    )
    sha = cur["tables"]["population"]["sha256"]
    (data_dir / "store/objects" / f"{sha}.parquet").write_bytes(b"not parquet")
    r = cli("verify")
    assert (
        r.returncode == 1
        and "corrupt" in r.stderr
        and ("rollback" in r.stderr or "build" in r.stderr)
    )


def test_build_from_raw(data_dir):
    before = int((data_dir / "store/CURRENT").read_text())
    r = cli("build")
    assert r.returncode == 0 and f"version {before + 1}:" in r.stdout
    assert cli("verify").returncode == 0


def test_claims_command(data_dir):
    r = cli("claims", "--format", "json")
    assert r.returncode == 0
    rows = {x["claim_id"]: x for x in json.loads(r.stdout)}
    for key in (
        "claim_id",
        "kind",
        "quote",
        "claimed_value",
        "unit",
        "data_value",
        "verdict",
        "explanation",
    ):
        assert key in rows["C06"]
    assert rows["C06"]["verdict"] == "supported" and rows["C03"]["verdict"] == "contradicted"
