"""`indicators register`: the sources.json entry of an official file is computed, not typed."""

import json

import pytest
from conftest import cli

from indicators import manifest
from indicators.store import REPO_DATA

COMPUTED = ("path", "layout", "sha256", "sha256_original", "bytes_original", "rows")


@pytest.mark.parametrize("entry", manifest.entries(REPO_DATA), ids=lambda e: e["id"])
def test_computed_facts_equal_the_recorded_ones(entry):
    facts = manifest.describe_file(REPO_DATA / entry["path"], REPO_DATA)
    assert {k: facts[k] for k in COMPUTED} == {k: entry[k] for k in COMPUTED}


def test_register_writes_the_entry_and_the_build_uses_it(data_dir):
    man = json.loads((data_dir / "sources.json").read_text())
    old = next(e for e in man["sources"] if e["id"] == "cbp_amo_seizures_fy23_fy26_dec")
    man["sources"] = [e for e in man["sources"] if e["id"] != old["id"]]
    (data_dir / "sources.json").write_text(json.dumps(man, indent=1) + "\n")
    args = ["register", str(data_dir / old["path"]), "--id", old["id"], "--title", old["title"],
            "--agency", old["agency"], "--official-url", old["official_url"], "--release", old["release"],
            "--repository", old["copied_from"]["repository"], "--commit", old["copied_from"]["commit"],
            "--copied-path", old["copied_from"]["path"], "--notes", old["notes"],
            "--after", "cbp_amo_seizures_fy19_fy22"]  # fmt: skip
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "table seizures" in r.stdout and f"{old['rows']} rows" in r.stdout
    now = json.loads((data_dir / "sources.json").read_text())
    ids = [e["id"] for e in now["sources"]]
    assert ids.index(old["id"]) == ids.index("cbp_amo_seizures_fy19_fy22") + 1
    new = now["sources"][ids.index(old["id"])]
    assert new == old  # every field, computed or given, as it was recorded by hand
    # the same id again is refused; --replace updates it
    r = cli(*args)
    assert r.returncode == 1 and "already there" in r.stderr and "Traceback" not in r.stderr
    assert cli(*args, "--replace").returncode == 0
    assert cli("build").returncode == 0 and cli("verify").returncode == 0


def test_register_refuses_a_file_outside_the_data_dir(data_dir, tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes((REPO_DATA / "raw/dea/dea_fentanyl_seizures.csv").read_bytes())
    r = cli("register", str(f), "--id", "x", "--title", "x", "--agency", "DEA",
                "--official-url", "https://www.dea.gov", "--release", "x")  # fmt: skip
    assert r.returncode == 1 and "not under the data directory" in r.stderr
    assert "Traceback" not in r.stderr
