"""Reading an input file as text and cells, and the Layout every source module declares.

A layout is recognised by its header, never by the file name. Cells are read as text and
converted by the parser with `Cells`, which collects every bad value with its file line.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError, Problem

MAX_BYTES_DEFAULT = 200 * 1024 * 1024  # after decompression


@dataclass
class Context:
    """What a parser knows about the file besides its cells."""

    file: str
    source_id: str
    vintage: str | None = None  # from the sources manifest; else inferred from the data
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    table: str
    agency: str
    header: tuple[str, ...]
    parse: Callable[[pd.DataFrame, Context], pd.DataFrame]
    official_url: str = ""
    # Columns that may be absent (older or filtered releases of the same layout).
    optional: tuple[str, ...] = ()
    # A custom test for headers that vary (e.g. one column per year).
    match: Callable[[list[str]], bool] | None = None

    def matches(self, columns: list[str]) -> bool:
        if self.match is not None:
            return self.match(columns)
        found = {c.lower() for c in columns}
        need = {c.lower() for c in self.header if c not in self.optional}
        allowed = {c.lower() for c in self.header}
        return need <= found <= allowed and len(found) == len(columns)


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str
    size: int


def decode(data: bytes, file: str, max_bytes: int = MAX_BYTES_DEFAULT) -> Decoded:
    """Bytes of a CSV (optionally gzip-compressed) to text, detecting the encoding.

    UTF-8 with or without BOM and UTF-16 with BOM are read as such; other bytes that are
    not UTF-8 are read as Windows-1252 (a superset of Latin-1 for printable text), and
    the encoding is reported. Binary files and spreadsheets are refused.
    """
    sha = hashlib.sha256(data).hexdigest()
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(file, f"the gzip data is damaged or truncated ({exc})") from None
        if len(data) > max_bytes:
            raise InputError(
                file, f"the file is larger than {max_bytes // 1_000_000} MB once decompressed"
            )
    if len(data) > max_bytes:
        raise InputError(file, f"the file is larger than the limit of {max_bytes // 1_000_000} MB")
    if data[:4] == b"PK\x03\x04":
        raise InputError(
            file,
            "this is a zip archive or an Excel workbook, not a CSV; save the sheet as CSV first",
        )
    if data[:3] == b"\xef\xbb\xbf":
        enc, body = "utf-8-sig", data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc, body = "utf-16", data
    else:
        enc, body = "utf-8", data
    try:
        text = body.decode("utf-16" if enc == "utf-16" else "utf-8")
    except UnicodeDecodeError as exc:
        if enc != "utf-8":
            raise InputError(file, f"the file is not valid {enc} ({exc.reason})") from None
        if b"\x00" in body:
            raise InputError(
                file, "the file holds NUL bytes: a binary file, or UTF-16 without a byte-order mark"
            ) from None
        try:
            text, enc = body.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            text, enc = body.decode("latin-1"), "latin-1"
    if "\x00" in text:
        raise InputError(file, "the file holds NUL characters: it is not a text CSV")
    return Decoded(text=text, encoding=enc, sha256=sha, size=len(data))


def read_cells(text: str, file: str) -> pd.DataFrame:
    """CSV text to a frame of stripped strings, with `_line` (the line in the file)."""
    if not text.strip():
        raise InputError(file, "the file is empty")
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="c",
            on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = re.search(r"line (\d+)", msg)
        line = [int(m.group(1))] if m else []
        raise InputError(file, [Problem(f"the CSV is malformed: {msg}", lines=line)]) from None
    except (csv.Error, ValueError, pd.errors.EmptyDataError) as exc:
        raise InputError(file, f"the CSV cannot be read: {exc}") from None
    df.columns = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    dupes = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dupes:
        raise InputError(file, f"the header repeats the columns {dupes}")
    if any(c.startswith("Unnamed: ") for c in df.columns):
        raise InputError(file, "the header has an empty column name")
    if df.empty:
        raise InputError(file, "the file has a header but no data rows")
    df = df.apply(lambda s: s.str.strip())
    df["_line"] = _line_numbers(text, len(df))
    return df


def _line_numbers(text: str, n: int) -> list[int]:
    """Line in the file where each data row starts (quoted fields may span lines)."""
    if text.count("\n") <= n + 1 and '"' not in text:
        return list(range(2, n + 2))
    reader = csv.reader(io.StringIO(text))
    starts = []
    try:
        next(reader, None)
        line = reader.line_num
        for _row in reader:
            starts.append(line + 1)
            line = reader.line_num
    except csv.Error:  # e.g. a field over the csv module's size limit: use row order
        return list(range(2, n + 2))
    if len(starts) != n:  # blank lines skipped differently; fall back to row order
        return list(range(2, n + 2))
    return starts


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class Cells:
    """Converts text cells to typed columns, recording every bad cell as a Problem."""

    def __init__(self, df: pd.DataFrame, file: str):
        self.df = df
        self.file = file
        self.problems: list[Problem] = []

    def lines(self, mask: pd.Series) -> list[int]:
        return [int(x) for x in self.df.loc[mask, "_line"].tolist()]

    def flag(self, mask: pd.Series, column: str, message: str) -> None:
        if mask.any():
            examples = (
                [str(v) for v in self.df.loc[mask, column].head(3)] if column in self.df else []
            )
            self.problems.append(Problem(message, column, self.lines(mask), examples))

    def number(self, column: str, kind: str = "int", required: bool = True) -> pd.Series:
        """Numbers with thousands separators allowed; '' is missing."""
        raw = self.df[column].astype(str)
        text = raw.where(~raw.str.match(_THOUSANDS), raw.str.replace(",", "", regex=False))
        blank = text.eq("")
        num = pd.to_numeric(text.where(~blank, None), errors="coerce")
        self.flag(num.isna() & ~blank, column, "not a number")
        if required:
            self.flag(blank, column, "empty where a number is required")
        if kind == "int":
            frac = num.notna() & (num % 1 != 0)
            self.flag(frac, column, "not a whole number")
            num = num.where(~frac)
            return num.round().astype("Int64")
        return num.astype("Float64")

    def nonnegative(self, values: pd.Series, column: str) -> None:
        self.flag(values.fillna(0) < 0, column, "negative count")

    def mapped(self, column: str, func: Callable[[str], object], what: str) -> pd.Series:
        """Apply `func` to each distinct value; None marks an unknown value."""
        uniq = {v: func(v) for v in self.df[column].unique()}
        out = self.df[column].map(uniq)
        self.flag(out.isna(), column, f"not a recognised {what}")
        return out

    def coded(self, column: str, codes: dict[str, str], what: str) -> pd.Series:
        low = {k.lower(): v for k, v in codes.items()}
        return self.mapped(column, lambda v: low.get(v.lower()), what)

    def check(self) -> None:
        if self.problems:
            raise InputError(self.file, self.problems)


def latest_month(year: pd.Series, month: pd.Series) -> str:
    """YYYY-MM of the latest (year, month) in the data."""
    key = (year.astype("Int64") * 100 + month.astype("Int64")).max()
    if key is pd.NA or pd.isna(key):
        return ""
    return f"{int(key) // 100:04d}-{int(key) % 100:02d}"
