"""The docs tell the truth: README commands, data dictionary columns, CLI commands."""

import re

from conftest import ROOT

from indicators import contract
from indicators.cli import parser


def test_readme_setup_commands():
    text = (ROOT / "README.md").read_text()
    assert "uv run streamlit run app.py" in text and "uv run pytest" in text
    assert "uv run pytest" in (ROOT / ".ci/run").read_text()


def test_data_dictionary_lists_every_column():
    text = (ROOT / "docs/data-dictionary.md").read_text()
    for name, spec in contract.TABLES.items():
        section = text.split(f"## `{name}`", 1)
        assert len(section) == 2, f"no section for {name}"
        body = section[1].split("\n## ", 1)[0]
        for col in spec.names:
            assert f"`{col}`" in body, f"{name}.{col} not documented"


def test_data_dictionary_is_generated_from_the_contract():
    """The committed doc is exactly what the contract generates (`indicators dictionary --write`)."""
    committed = (ROOT / "docs/data-dictionary.md").read_text()
    assert committed == contract.data_dictionary(), (
        "docs/data-dictionary.md is stale: run `uv run indicators dictionary --write`"
    )


def test_data_dictionary_states_the_checks_the_contract_makes():
    text = contract.data_dictionary()
    row = next(ln for ln in text.splitlines() if ln.startswith("| `month` | integer | 1 to 12"))
    assert row  # ranges come from Column.minimum/maximum
    assert "| `unit` | text | `kg`, `lb`, `pills` |" in text  # short code lists in full
    assert "| `deaths` | integer | at least 0; may be empty |" in text


def test_stored_parquet_schema_is_the_contracts():
    """The bundled Parquet objects have exactly the columns and types the contract declares."""
    import pyarrow.parquet as pq

    from indicators.store import REPO_DATA, Store

    store = Store(REPO_DATA)
    for name, meta in store.current().tables.items():
        schema = pq.read_schema(store.object_path(meta["sha256"]))
        got = [(f.name, f.type) for f in schema]
        want = [(f.name, f.type) for f in contract.arrow_schema(name)]
        assert got == want, name


def test_readme_cli_commands_exist():
    text = (ROOT / "README.md").read_text()
    used = set(re.findall(r"uv run indicators (\w+)", text))
    known = set(parser()._subparsers._group_actions[0].choices)
    assert used and used <= known, used - known
