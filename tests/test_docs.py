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


def test_readme_cli_commands_exist():
    text = (ROOT / "README.md").read_text()
    used = set(re.findall(r"uv run indicators (\w+)", text))
    known = set(parser()._subparsers._group_actions[0].choices)
    assert used and used <= known, used - known
