"""Errors that tell the user what is wrong and where (file, line, column)."""

from __future__ import annotations

from dataclasses import dataclass, field

QUOTE_LIMIT = 60  # characters of a cell value quoted in a message
MESSAGE_LIMIT = 2000  # characters of one problem's message


def clip(value: object, limit: int = QUOTE_LIMIT, quote: bool = True) -> str:
    """A value for a message (quoted with repr unless quote=False), cut to `limit`
    characters and saying so: a file may hold a multi-megabyte cell, never echoed whole."""
    text = str(value)
    show = repr if quote else str
    if len(text) <= limit:
        return show(text)
    return show(text[:limit]) + f"... ({len(text):,} characters, truncated)"


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
        if len(text) > MESSAGE_LIMIT:
            text = text[:MESSAGE_LIMIT] + f"... ({len(text):,} characters, truncated)"
        if self.examples:
            text += " (e.g. " + ", ".join(clip(e) for e in self.examples[:3]) + ")"
        return (", ".join(where) + ": " if where else "") + text


class InputError(Exception):
    """A file could not be recognised, read or validated. Nothing was stored."""

    def __init__(self, file: str, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.file = file
        self.problems = problems
        super().__init__(self.describe())

    def __reduce__(self):  # pickled whole (the Upload page's worker process sends it back)
        return (self.__class__, (self.file, self.problems))

    def describe(self) -> str:
        lines = [f"{self.file}: " + self.problems[0].describe()]
        lines += [f"{self.file}: " + p.describe() for p in self.problems[1:]]
        return "\n".join(lines)


class UnrecognisedFile(InputError):
    """The header matches none of the known layouts."""


class StoreError(Exception):
    """The store is missing, corrupt or locked; the message says how to recover."""


class StaleBase(StoreError):
    """The store moved on (another editor, the CLI, a rollback) since a change was previewed:
    the previewed plan is not applied; preview again."""


class DecisionNeeded(StoreError):
    """A plan leaves an editor's decision open (e.g. keep or drop stored cells that a newer
    file no longer has); nothing is saved until it is made."""

    def __init__(self, message: str, plan=None):
        super().__init__(message)
        self.plan = plan

    def __reduce__(self):
        return (self.__class__, (self.args[0], self.plan))
