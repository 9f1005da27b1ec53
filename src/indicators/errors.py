"""Errors that tell the user what is wrong and where (file, line, column)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with an input: which column, which file lines, what."""

    message: str
    column: str | None = None
    lines: list[int] = field(default_factory=list)  # 1-based line numbers in the file
    examples: list[str] = field(default_factory=list)

    def describe(self, limit: int = 5) -> str:
        where = []
        if self.column:
            where.append(f"column '{self.column}'")
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines[:limit])
            more = f" and {len(self.lines) - limit} more" if len(self.lines) > limit else ""
            where.append(f"line{'s' if len(self.lines) > 1 else ''} {shown}{more}")
        text = self.message
        if self.examples:
            text += " (e.g. " + ", ".join(repr(e) for e in self.examples[:3]) + ")"
        return (", ".join(where) + ": " if where else "") + text


class InputError(Exception):
    """A file could not be recognised, read or validated. Nothing was stored."""

    def __init__(self, file: str, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.file = file
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"{self.file}: " + self.problems[0].describe()]
        lines += [f"{self.file}: " + p.describe() for p in self.problems[1:]]
        return "\n".join(lines)


class UnrecognisedFile(InputError):
    """The header matches none of the known layouts."""


class StoreError(Exception):
    """The store is missing, corrupt or locked; the message says how to recover."""
