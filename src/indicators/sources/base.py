"""Reading an input file as cells, and the Layout every source module declares.

A layout is recognised by its header, never by the file name. The cells are read by
pyarrow's CSV reader with every column declared as text (no type guessing, so '007' stays
'007'); `Cells` then converts and checks whole columns at once (distinct values are mapped
once, numbers are cast in one step) and records every bad cell as a Problem. Rows are
identified by their position; the file line of a row is worked out only when a problem
names it (`LineMap`), so a clean file never pays for line numbers.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import periods
from ..contract import frame_of_arrays, note_values
from ..errors import InputError, Problem, clip
from ..hashing import sha256_bytes
from ..periods import parse_fiscal_year, parse_month

MAX_BYTES_DEFAULT = 200 * 1024 * 1024  # after decompression
TEXT = pa.large_string()  # pandas' "string" dtype is backed by large_string: no cast later


class LineMap:
    """File line (1-based, header on line 1) of data rows, computed on first use.

    pyarrow numbers rows, not lines: a quoted value may span lines and blank lines are
    skipped. Only a file with a problem ever asks, so the scan is paid on failure only.
    """

    def __init__(self, data: bytes, nrows: int, one_per_line: bool = False):
        self.data = data
        self.nrows = nrows
        self.one_per_line = one_per_line  # known: row i is on line i + 2
        self._starts: np.ndarray | None = None

    def __call__(self, rows: Iterable[int]) -> list[int]:
        starts = self.starts()
        return [int(starts[r]) for r in rows]

    def starts(self) -> np.ndarray:
        if self._starts is None:
            self._starts = self._scan()
        return self._starts

    def _scan(self) -> np.ndarray:
        plain = np.arange(2, self.nrows + 2)
        if self.one_per_line:
            return plain
        starts = [line for line, _row in _records(self.data)[1:]]
        return np.asarray(starts) if len(starts) == self.nrows else plain


def _records(data: bytes) -> list[tuple[int, list[str]]]:
    """(first line, fields) of every non-empty CSV record, header included (slow path)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
        out, line = [], 1
        try:
            for row in reader:
                if row:
                    out.append((line, row))
                line = reader.line_num + 1
        except csv.Error:
            pass
        return out
    finally:
        csv.field_size_limit(limit)


@dataclass
class Context:
    """What a parser knows about the file besides its cells."""

    file: str
    source_id: str
    vintage: str | None = None  # from the sources manifest; else inferred from the data
    notes: list[str] = field(default_factory=list)
    lines: Callable[[Iterable[int]], list[int]] = lambda rows: [int(r) + 2 for r in rows]


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    table: str
    agency: str
    header: tuple[str, ...]
    parse: Callable[[Cells, Context], pd.DataFrame]
    official_url: str = ""
    # Columns that may be absent (older or filtered releases of the same layout).
    optional: tuple[str, ...] = ()
    # A custom test for headers that vary (e.g. one column per year).
    match: Callable[[list[str]], bool] | None = None

    def matches(self, columns: list[str]) -> bool:
        if self.match is not None:
            return self.match(columns)
        found = {c.lower() for c in columns}
        need, allowed = _header_sets(self)
        return need <= found <= allowed and len(found) == len(columns)


_HEADER_SETS: dict[int, tuple[Layout, frozenset[str], frozenset[str]]] = {}


def _header_sets(layout: Layout) -> tuple[frozenset[str], frozenset[str]]:
    """(required, allowed) lower-case column names of a layout, worked out once."""
    got = _HEADER_SETS.get(id(layout))
    if got is None or got[0] is not layout:
        need = frozenset(c.lower() for c in layout.header if c not in layout.optional)
        got = _HEADER_SETS[id(layout)] = (layout, need, frozenset(c.lower() for c in layout.header))
    return got[1], got[2]


@dataclass
class Decoded:
    data: bytes  # UTF-8, without a byte-order mark (re-encoded if the file was not UTF-8)
    encoding: str  # the file's own encoding
    sha256: str  # of the bytes as given (compressed, if they were)
    size: int  # bytes after decompression

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


# Signatures of files that are often dropped by mistake, named in the error.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook, not a CSV; save the sheet as CSV first"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel (.xls) or other Office file, not a CSV; save the sheet as CSV first"),
    (b"%PDF", "a PDF document, not a CSV"),
    (b"\x89PNG", "a PNG image, not a CSV"),
    (b"\xff\xd8\xff", "a JPEG image, not a CSV"),
    (b"GIF8", "a GIF image, not a CSV"),
    (b"PAR1", "a Parquet file, not a CSV"),
    (b"BZh", "bzip2-compressed data; only plain or gzip-compressed CSV is read"),
    (b"\xfd7zXZ", "xz-compressed data; only plain or gzip-compressed CSV is read"),
    (b"7z\xbc\xaf", "a 7-Zip archive, not a CSV"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data; only plain or gzip-compressed CSV is read"),
    (b"\x7fELF", "a program (ELF binary), not a CSV"),
)  # fmt: skip
# Bytes that never occur in a text CSV (tab, LF, CR and form feed excepted).
_CONTROL = bytes([*range(0, 9), 11, *range(14, 32), 127])
_SAMPLE = 1 << 16


def _binary(data: bytes) -> str | None:
    """Why these bytes are not a text file, or None if they may be one."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"this is {what}"
    sample = data[:_SAMPLE]
    ctrl = len(sample) - len(sample.translate(None, _CONTROL))
    nul = sample.count(b"\x00")
    if nul and nul >= len(sample) // 3 and ctrl - nul < max(2, len(sample) // 200):
        return (
            "the file holds NUL bytes between its characters: UTF-16 text without a "
            "byte-order mark; save it as UTF-8"
        )
    if ctrl and ctrl >= max(2, len(sample) // 200):  # random bytes: ~1 in 10
        return (
            f"this is binary data, not a text CSV ({ctrl:,} control bytes in the first "
            f"{len(sample):,}); export the table as CSV"
        )
    return None


def decode(
    data: bytes, file: str, max_bytes: int = MAX_BYTES_DEFAULT, sha256: str | None = None
) -> Decoded:
    """Bytes of a CSV (optionally gzip-compressed) to UTF-8, detecting the encoding.

    UTF-8 with or without BOM and UTF-16 with BOM are read as such; other bytes that are
    not UTF-8 are read as Windows-1252 (a superset of Latin-1 for printable text), and
    the encoding is reported. Binary files, archives and spreadsheets are refused and named.
    """
    sha = sha256 or sha256_bytes(data)  # the caller's, if it hashed these bytes already
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
    size = len(data)
    if data[:3] == b"\xef\xbb\xbf":
        enc, body = "utf-8-sig", data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(file, f"the file is not valid utf-16 ({exc.reason})") from None
        if "\x00" in text:
            raise InputError(file, "the file holds NUL characters: it is not a text CSV")
        return Decoded(text.encode("utf-8"), "utf-16", sha, size)
    else:
        enc, body = "utf-8", data
    why = _binary(body)
    if why:
        raise InputError(file, why)
    try:
        if not body.isascii():  # ASCII is UTF-8; otherwise validate (pyarrow reads the bytes)
            body.decode("utf-8")
    except UnicodeDecodeError:
        if enc != "utf-8":
            raise InputError(file, "the file starts with a UTF-8 mark but is not UTF-8") from None
        if b"\x00" in body:
            raise InputError(
                file, "the file holds NUL bytes: a binary file, or UTF-16 without a byte-order mark"
            ) from None
        try:
            text, enc = body.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            text, enc = body.decode("latin-1"), "latin-1"
        body = text.encode("utf-8")
    if b"\x00" in body:
        raise InputError(file, "the file holds NUL characters: it is not a text CSV")
    return Decoded(body, enc, sha, size)


@dataclass
class Sheet:
    """A CSV read as text columns: cleaned header names, the cells, the row-to-line map."""

    columns: list[str]
    table: pa.Table  # one large_string column per header column, named as `columns`
    lines: LineMap


def read_cells(dec: Decoded, file: str) -> Sheet:
    """UTF-8 CSV bytes to text columns (not stripped yet) with a lazy row-to-line map."""
    data = dec.data
    if not data or data.isspace():
        raise InputError(file, "the file is empty")
    names = [c.replace("\ufeff", "").strip() for c in _header(data)]
    if not names:
        raise InputError(file, "the file has no header line")
    if "" in names:
        raise InputError(file, "the header has an empty column name")
    dupes = sorted({c for c in names if names.count(c) > 1})
    if dupes:
        raise InputError(
            file, "the header repeats the columns [" + ", ".join(clip(d) for d in dupes) + "]"
        )
    ncol = len(names)
    # Every row on its own line is the common case, and reading is faster when pyarrow may
    # assume it. If the rows do not add up to the lines (a quoted line break, blank lines,
    # CR-only line ends), read again allowing line breaks in values.
    newlines = int(np.count_nonzero(np.frombuffer(data, np.uint8) == 10))
    physical = newlines + (0 if data.endswith(b"\n") else 1)
    table, bad = _read(data, ncol, file, newlines_in_values=False)
    one_per_line = not bad and table.num_rows == physical
    if not one_per_line:
        table, bad = _read(data, ncol, file, newlines_in_values=True)
    if table.num_columns != ncol:  # the header parsed differently: trust the csv module
        raise InputError(file, _malformed(data, table.num_columns))
    if bad:
        raise InputError(file, _malformed(data, ncol))
    table = table.slice(1)  # row 0 is the header, read as data to keep its parse consistent
    if table.num_rows == 0:
        raise InputError(file, "the file has a header but no data rows")
    for i in range(ncol):
        if table.column(i).type != TEXT:  # a column the header row did not declare
            table = table.set_column(i, f"f{i}", table.column(i).cast(TEXT))
    lines = LineMap(data, table.num_rows, one_per_line=one_per_line)
    return Sheet(names, table.rename_columns(names), lines)


def _header(data: bytes) -> list[str]:
    """The first record's fields (the csv module's reading; a quoted name may span lines)."""
    n = _SAMPLE
    while True:
        chunk = data[:n]
        limit = csv.field_size_limit()
        csv.field_size_limit(sys.maxsize)
        try:
            reader = csv.reader(io.StringIO(chunk.decode("utf-8", "replace"), newline=""))
            first = next((row for row in reader if row), [])
        except csv.Error:
            first = []
        finally:
            csv.field_size_limit(limit)
        if n >= len(data) or chunk.count(b"\n") >= reader.line_num:
            return first
        n *= 4


def _read(data: bytes, ncol: int, file: str, newlines_in_values: bool) -> tuple[pa.Table, int]:
    """All columns as text, the header as row 0; the number of rows with the wrong field count.

    pyarrow reads in 1 MiB blocks, and a row longer than a block (a multi-megabyte cell) is
    refused by it: such a file is read again as one block.
    """
    bad = 0

    def invalid(_row) -> str:
        nonlocal bad
        bad += 1
        return "skip"

    block = None
    while True:
        try:
            return pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(
                    autogenerate_column_names=True, **({"block_size": block} if block else {})
                ),
                parse_options=pacsv.ParseOptions(
                    newlines_in_values=newlines_in_values, invalid_row_handler=invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"f{i}": TEXT for i in range(ncol)}, strings_can_be_null=False
                ),
            ), bad
        except pa.ArrowInvalid as exc:
            if block is None and len(data) > 1 << 20:
                block, bad = min(len(data) + 1, 2**31 - 1), 0
                continue
            raise InputError(
                file, f"the CSV cannot be read: {clip(exc, 300, quote=False)}"
            ) from None


def _malformed(data: bytes, ncol: int) -> list[Problem]:
    """Rows whose number of fields differs from the header's, with their lines."""
    recs = _records(data)
    want = len(recs[0][1]) if recs else ncol
    by_count: dict[int, list[int]] = {}
    for line, row in recs[1:]:
        if len(row) != want:
            by_count.setdefault(len(row), []).append(line)
    if not by_count:
        return [Problem("the CSV is malformed (unbalanced quotes?)")]
    return [
        Problem(f"the CSV is malformed: {n} fields where the header has {want}", lines=lines)
        for n, lines in sorted(by_count.items())
    ]


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _has_x(col: pa.ChunkedArray) -> bool:
    """Whether any cell holds an 'x' or 'X' (hexadecimal, which pyarrow's cast accepts).

    The bytes of the values are looked at first (they may hold a little more than the
    column: the header's name); only when one has an x are the cells asked one by one.
    """
    for chunk in col.chunks:
        buf = chunk.buffers()[2] if chunk.type == TEXT and len(chunk) else None
        if buf is not None:
            b = np.frombuffer(buf, np.uint8)
            if not ((b | 0x20) == ord("x")).any():
                continue
        if pc.any(pc.match_substring(chunk, "x", ignore_case=True)).as_py():
            return True
    return False


def _masked(num: pa.ChunkedArray, kind: str) -> pd.api.extensions.ExtensionArray:
    """Arrow numbers as pandas' Int64 / Float64 array (a copy the frame owns)."""
    if num.null_count == 0 and num.num_chunks:
        data = np.array(num.to_numpy(), dtype=np.int64 if kind == "int" else np.float64)
        made = pd.arrays.IntegerArray if kind == "int" else pd.arrays.FloatingArray
        return made(data, np.zeros(len(data), bool))
    return pd.array(num.combine_chunks(), dtype="Int64" if kind == "int" else "Float64")


def _as_mask(mask, n: int) -> np.ndarray:
    if isinstance(mask, (pa.Array, pa.ChunkedArray)):
        mask = mask.to_numpy(zero_copy_only=False)
    elif isinstance(mask, pd.Series):
        mask = mask.to_numpy(dtype=bool, na_value=False)
    out = np.asarray(mask, dtype=bool)
    if out.shape != (n,):
        out = np.broadcast_to(out, (n,))
    return out


class Cells:
    """Converts text columns to typed ones, recording every bad cell as a Problem.

    Every method works on a whole column: distinct values are stripped and mapped once,
    numbers are cast in one step, and only failing rows are looked at one by one. Results
    are pandas Series indexed 0..n-1 in the order of the rows.
    """

    def __init__(
        self,
        table: pa.Table,
        ctx: Context,
        rows: np.ndarray | None = None,
        keep: pa.Array | None = None,
    ):
        self.table = table  # all rows of the file; `keep` (bool per row) selects this view's
        self.keep = keep
        self.ctx = ctx
        self.file = ctx.file
        self.rows = np.arange(table.num_rows) if rows is None else rows  # positions in the file
        self.n = len(self.rows)
        self._cols: dict[str, pa.ChunkedArray] = {}
        self.problems: list[Problem] = []
        self._enc: dict[str, tuple[np.ndarray, list[str], bool]] = {}
        self._codes: list[tuple[pd.Series, np.ndarray]] = []

    # --- access -----------------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    def __contains__(self, column: str) -> bool:
        return column in self.table.column_names

    def rename(self, names: dict[str, str]) -> Cells:
        self.table = self.table.rename_columns([names.get(c, c) for c in self.columns])
        self._enc.clear()
        self._cols.clear()
        return self

    def column(self, name: str) -> pa.ChunkedArray:
        """The raw text of a column, for this view's rows (filtered on first use)."""
        if name not in self._cols:
            col = self.table.column(name)
            self._cols[name] = col if self.keep is None else col.filter(self.keep)
        return self._cols[name]

    def encoded(self, column: str) -> tuple[np.ndarray, list[str]]:
        """(codes, values): each row's index into the column's distinct stripped values."""
        if column not in self._enc:
            enc = pc.dictionary_encode(self.column(column)).combine_chunks()
            raw = enc.dictionary
            stripped = pc.utf8_trim_whitespace(raw)
            codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
            values = stripped.to_pylist()
            changed = not stripped.equals(raw)
            if changed and len(set(values)) != len(values):  # ' a' and 'a' are one value
                uniq = list(dict.fromkeys(values))
                pos = {v: i for i, v in enumerate(uniq)}
                codes = np.asarray([pos[v] for v in values], dtype=np.int32)[codes]
                values = uniq
            self._enc[column] = (codes, values, changed)
        return self._enc[column][:2]

    def uniques(self, column: str) -> list[str]:
        """The column's distinct stripped values."""
        return self.encoded(column)[1]

    def text(self, column: str) -> pd.Series:
        """The column's stripped text."""
        col = self.column(column)
        if column in self._enc and not self._enc[column][2]:
            return _string_series(col)
        return _string_series(pc.utf8_trim_whitespace(col))

    def _remember(self, s: pd.Series, codes: np.ndarray) -> pd.Series:
        self._codes.append((s, codes))
        return s

    # --- conversion ---------------------------------------------------------------------
    def mapped(
        self, column: str, func: Callable[[str], object], what: str, dtype: str | None = None
    ) -> pd.Series:
        """`func` applied to each distinct value; None marks an unknown value (flagged).

        dtype: "string", "Int64", "Float64" or None (objects).
        """
        codes, values = self.encoded(column)
        results = [func(v) for v in values]
        unknown = np.fromiter((r is None for r in results), bool, len(results))
        if unknown.any():
            self.flag(unknown[codes], column, f"not a recognised {what}")
        # codes of the mapped values (two spellings of one value get one code), for keys
        out_values = list(dict.fromkeys(r for r in results if r is not None))
        pos = {v: i for i, v in enumerate(out_values)}
        remap = np.asarray([pos[r] if r is not None else -1 for r in results], dtype=np.int32)
        out_codes = remap[codes]
        if dtype == "string":
            if not unknown.any() and results == values:
                s = self.text(column)  # the values as they are: no copy
            else:
                s = _string_series(pc.take(pa.array(results, TEXT), pa.array(codes)))
            note_values(s.array.__arrow_array__(), out_values)  # for the contract's code lists
        elif dtype in ("Int64", "Float64"):
            kind = np.int64 if dtype == "Int64" else np.float64
            vals = np.array([0 if r is None else r for r in results], dtype=kind)
            made = pd.arrays.IntegerArray if dtype == "Int64" else pd.arrays.FloatingArray
            s = pd.Series(made(vals[codes], unknown[codes]))
        else:
            objs = np.empty(len(results), dtype=object)
            objs[:] = results
            s = pd.Series(objs[codes], dtype=object)
        return self._remember(s, out_codes)

    def coded(self, column: str, codes: dict[str, str], what: str) -> pd.Series:
        """Text mapped through a code list, matched case-insensitively."""
        low = {k.lower(): v for k, v in codes.items()}
        return self.mapped(column, lambda v: low.get(v.lower()), what, "string")

    def number(self, column: str, kind: str = "int", required: bool = True) -> pd.Series:
        """Numbers with thousands separators allowed; '' is missing.

        One cast of the whole column when the cells are plain numbers; otherwise strip,
        drop thousands separators and cast again; any cell still failing (or NaN/inf) sends
        the column to the per-value path, which names every bad cell.
        """
        col = self.column(column)
        target = pa.int64() if kind == "int" else pa.float64()
        try:  # the common case: plain numbers, no blank ('' never casts)
            num, blank, nblank = pc.cast(col, target), None, 0
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            num = None
        for attempt in (0, 1) if num is None else ():
            if attempt:
                col = pc.utf8_trim_whitespace(col)
            blank = pc.equal(col, "")
            nblank = pc.sum(blank).as_py() or 0
            if attempt:
                commas = pc.match_substring_regex(col, _THOUSANDS.pattern)
                col = pc.if_else(commas, pc.replace_substring(col, ",", ""), col)
            try:
                cells = pc.if_else(blank, pa.scalar(None, TEXT), col) if nblank else col
                num = pc.cast(cells, target)
                break
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
        if blank is None:
            blank = np.zeros(self.n, bool)
        if num is None:
            return self._number_slow(column, col, blank, kind, required)
        if kind == "int" and _has_x(col):
            return self._number_slow(column, col, blank, kind, required)  # pyarrow reads 0x10
        if kind != "int" and pc.any(pc.invert(pc.is_finite(num))).as_py():
            return self._number_slow(column, col, blank, kind, required)
        if required and nblank:
            self.flag(blank, column, "empty where a number is required")
        return pd.Series(_masked(num, kind))

    def _number_slow(self, column, col, blank, kind, required) -> pd.Series:
        """Per-value conversion, to name exactly which cells are wrong and how."""
        text = pd.Series(col.to_pylist(), dtype=object)
        blank = _as_mask(blank, self.n)
        num = pd.to_numeric(text.where(~blank, None), errors="coerce")
        self.flag(num.isna().to_numpy() & ~blank, column, "not a number")
        if required:
            self.flag(blank, column, "empty where a number is required")
        endless = np.isinf(num.to_numpy(dtype=float, na_value=np.nan))
        self.flag(endless, column, "not a finite number")  # 'inf', '-Infinity', '1e999'
        num = num.where(~endless)
        if kind == "int":
            frac = (num.notna() & (num % 1 != 0)).to_numpy()
            self.flag(frac, column, "not a whole number")
            num = num.where(~frac)
            big = (num.abs() > 2**63 - 1).fillna(False).to_numpy()
            self.flag(big, column, "too large a number")
            num = num.where(~big)
            return num.round().astype("Int64")
        return num.astype("Float64")

    def nonnegative(self, values: pd.Series, column: str) -> None:
        a = values.array
        if isinstance(a, (pd.arrays.IntegerArray, pd.arrays.FloatingArray)):
            neg = a._data < 0
            if not neg.any():  # the common case, and NaN is not below 0
                return
        v = pd.array(values, dtype="Float64") if values.dtype == object else values.array
        self.flag(
            np.asarray(v < 0, dtype=bool) if not v.isna().any() else (v < 0).fillna(False),
            column,
            "negative count",
        )

    def flag(self, mask, column: str, message: str) -> None:
        """Record a problem for the rows in `mask` (bool per row), naming their lines."""
        m = _as_mask(mask, self.n)
        if not m.any():
            return
        idx = np.flatnonzero(m)
        examples = []
        if column in self:
            col = self.column(column)
            examples = [str(col[int(i)].as_py()).strip() for i in idx[:3]]
        self.problems.append(Problem(message, column, self.ctx.lines(self.rows[idx]), examples))

    def subset(self, mask) -> Cells:
        """Only the rows in `mask` (e.g. the rows a layout keeps); problems carry over, and
        so do the distinct values already worked out."""
        m = _as_mask(mask, self.n)
        if self.keep is None:
            keep = m
        else:
            keep = self.keep.to_numpy(zero_copy_only=False).copy()
            keep[keep] = m
        out = Cells(self.table, self.ctx, self.rows[m], pa.array(keep))
        out.problems = self.problems
        out._enc = {
            k: (codes[m], values, changed) for k, (codes, values, changed) in self._enc.items()
        }
        return out

    def rows_where(self, column: str, test: Callable[[str], bool]) -> np.ndarray:
        """Rows whose (stripped) value passes `test`, which is asked once per distinct value."""
        codes, values = self.encoded(column)
        return np.fromiter((bool(test(v)) for v in values), bool, len(values))[codes]

    def check(self) -> None:
        if self.problems:
            raise InputError(self.file, self.problems)

    # --- keys -----------------------------------------------------------------------------
    def duplicated(self, key: Sequence[pd.Series], among: np.ndarray | None = None) -> np.ndarray:
        """Rows whose values of every key column equal another row's (keep=False), looking
        only at the rows in `among` if given (others are never duplicates).

        Columns made by `mapped` are compared by the codes already computed for them.
        """
        codes = []
        for s in key:
            known = next((c for t, c in self._codes if t is s), None)
            if known is None:
                known = _int_codes(s)
            if known is None:
                known = pd.factorize(s, use_na_sentinel=False)[0]
            codes.append(known if among is None else known[among])
        if among is None:
            return duplicated_codes(codes)
        out = np.zeros(self.n, bool)
        out[among] = duplicated_codes(codes)
        return out

    def row_positions(self) -> pd.Series:
        return pd.Series(self.rows)


def _int_codes(s: pd.Series) -> np.ndarray | None:
    """Codes of an Int64 column for `duplicated_codes` (equal values, equal codes; missing is
    one value of its own) when its numbers lie close together; else None (factorize it)."""
    parts = _int_parts(s)
    if parts is None or not len(parts[0]):
        return None
    data, mask = parts
    if mask.all():
        return np.zeros(len(data), np.int64)
    vals = data[~mask] if mask.any() else data
    lo, hi = int(vals.min()), int(vals.max())
    if hi - lo > max(4 * len(data), 1 << 16):
        return None
    return np.where(mask, 0, data - (lo - 1)) if mask.any() else data - lo


def duplicated_codes(codes: Sequence[np.ndarray]) -> np.ndarray:
    """Duplicated rows of a key given as integer codes per column (keep=False)."""
    n = len(codes[0])
    if n == 0:
        return np.zeros(0, bool)
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for c in codes:
        c = np.asarray(c, dtype=np.int64) + 1  # -1 (unknown) becomes 0
        width = int(c.max()) + 1
        if span * width >= 2**62:  # renumber what we have so far to keep within int64
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1
        key = key * width + c
        span *= width
    if span <= max(4 * n, 1 << 16):  # a small key space: count the keys
        return np.bincount(key, minlength=span)[key] > 1
    return pd.Series(key).duplicated(keep=False).to_numpy()


def _string_series(arr) -> pd.Series:
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks == 0:
        arr = pa.array([], TEXT)
    if arr.type != TEXT:
        arr = arr.cast(TEXT)
    return pd.Series(pd.arrays.ArrowStringArray(arr))


def frame(columns: dict, n: int) -> pd.DataFrame:
    """A frame from columns of n rows (Series are taken by position, scalars broadcast)."""
    arrays = [v.array if isinstance(v, pd.Series) else v for v in columns.values()]
    arrays = [a.to_numpy() if isinstance(a, pd.arrays.NumpyExtensionArray) else a for a in arrays]
    if all(isinstance(a, (pd.api.extensions.ExtensionArray, np.ndarray)) for a in arrays):
        return frame_of_arrays(arrays, _columns_index(tuple(columns)), n)  # checks the lengths
    return pd.DataFrame(
        {k: (v.array if isinstance(v, pd.Series) else v) for k, v in columns.items()},
        index=pd.RangeIndex(n),
        copy=False,  # the columns are new; `contract.conform` makes the table's own copy
    )


_INDEXES: dict[tuple[str, ...], pd.Index] = {}


def _columns_index(names: tuple[str, ...]) -> pd.Index:
    """Column names as a pandas Index, made once per set of names (an Index is immutable)."""
    idx = _INDEXES.get(names)
    if idx is None:
        idx = pd.Index(list(names)) if len(_INDEXES) < 256 else None
        if idx is None:
            return pd.Index(list(names))
        _INDEXES[names] = idx
    return idx


def constant(value, n: int, dtype: str = "string") -> pd.api.extensions.ExtensionArray:
    """A column of one value, as a pandas array for `frame` (text built as one Arrow buffer,
    not n Python objects)."""
    if dtype == "string":
        raw = str(value).encode("utf-8")
        if raw:
            offsets = np.arange(0, (n + 1) * len(raw), len(raw), dtype=np.int64)
        else:
            offsets = np.zeros(n + 1, dtype=np.int64)
        arr = pa.Array.from_buffers(TEXT, n, [None, pa.py_buffer(offsets), pa.py_buffer(raw * n)])
        chunked = pa.chunked_array([arr])
        note_values(chunked, [str(value)] if n else [])
        return pd.arrays.ArrowStringArray(chunked)
    return pd.array([value] * n, dtype=dtype)


def whole(s: pd.Series) -> pd.Series | pd.arrays.IntegerArray:
    """`s.round().astype("Int64")` of a Float64 column (half to even), on the arrays; for
    `frame` (a pandas array or a Series)."""
    a = s.array
    if isinstance(a, pd.arrays.FloatingArray) and a.dtype == "Float64":
        data, mask = a._data, a._mask
        vals = np.round(data[~mask]) if mask.any() else np.round(data)
        if np.isfinite(vals).all() and (np.abs(vals) < 2.0**63).all():
            out = np.zeros(len(data), np.int64)
            out[~mask] = vals
            return pd.arrays.IntegerArray(out, mask.copy())
    return s.round().astype("Int64")


def no_numbers(n: int, dtype: str = "Int64") -> pd.api.extensions.ExtensionArray:
    """An Int64 or Float64 column with no value in any row (a pandas array, for `frame`)."""
    if dtype == "Int64":
        return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))
    return pd.arrays.FloatingArray(np.zeros(n, np.float64), np.ones(n, bool))


def no_dates(n: int) -> pd.Series:
    """A date column (datetime64[ms]) with no value in any row."""
    return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ms]"))


def _int_parts(s) -> tuple[np.ndarray, np.ndarray] | None:
    """(values, missing) of an Int64 column, without copies; None for other columns."""
    a = s.array if isinstance(s, pd.Series) else s
    if isinstance(a, pd.arrays.IntegerArray) and a.dtype == "Int64":
        return a._data, a._mask
    return None


def greater(s: pd.Series, value: int) -> np.ndarray:
    """Rows whose number is above `value` (missing is not), as a bool per row."""
    parts = _int_parts(s)
    if parts is None:
        return (s > value).fillna(False).to_numpy(dtype=bool)
    data, mask = parts
    return (data > value) & ~mask


def months_of(fiscal: pd.Series, month: pd.Series, year: int) -> int:
    """How many distinct months the rows of fiscal year `year` have."""
    f, m = _int_parts(fiscal), _int_parts(month)
    if f is None or m is None:
        return int(month[fiscal == year].nunique())
    return len(np.unique(m[0][(f[0] == year) & ~f[1] & ~m[1]]))


def fiscal_years(fy: pd.Series, month: pd.Series) -> pd.Series:
    """`periods.fiscal_years` (calendar year of fiscal-year/month columns), on the arrays."""
    f, m = _int_parts(fy), _int_parts(month)
    if f is None or m is None:
        return periods.fiscal_years(fy, month)
    missing = f[1] | m[1]
    fv = np.where(missing, 0, f[0]) if missing.any() else f[0]
    mv = np.where(missing, 0, m[0]) if missing.any() else m[0]
    return pd.Series(pd.arrays.IntegerArray(fv - (mv >= 10), missing))


def month_ends(year: pd.Series, month: pd.Series) -> pd.Series:
    """`periods.month_ends` (last day of each (year, month), datetime64[ms]), on the arrays."""
    y, m = _int_parts(year), _int_parts(month)
    if y is None or m is None or (y[1] | m[1]).any():
        return periods.month_ends(year, month)
    months = (y[0] - 1970) * 12 + m[0] - 1
    if not len(months):
        return periods.month_ends(year, month)
    lo, hi = int(months.min()), int(months.max())
    if hi - lo > 4 * len(months):  # the dates of each distinct month, then one lookup per row
        return periods.month_ends(year, month)
    span = np.arange(lo, hi + 1)
    last = (span.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return pd.Series(last.astype("datetime64[ms]")[months - lo])


def fiscal_year_and_month(
    c: Cells, fy_col: str, month_col: str = "Month (abbv)"
) -> tuple[pd.Series, pd.Series, list[int]]:
    """Fiscal year and month columns (unknown values flagged) and the year-to-date years."""
    fiscal = c.mapped(
        fy_col,
        lambda v: (r := parse_fiscal_year(v)) and r[0],
        "fiscal year (e.g. 2023 or '2026 (FYTD)')",
        "Int64",
    )
    month = c.mapped(month_col, parse_month, "month", "Int64")
    partial = sorted({r[0] for v in c.uniques(fy_col) if (r := parse_fiscal_year(v)) and r[1]})
    return fiscal, month, partial


def latest_month(year: pd.Series, month: pd.Series) -> str:
    """YYYY-MM of the latest (year, month) in the data."""
    yp, mp = _int_parts(year), _int_parts(month)
    if yp is not None and mp is not None:
        ok = ~(yp[1] | mp[1])
        if not ok.any():
            return ""
        key = int((yp[0] * 100 + mp[0])[ok].max())
        return f"{key // 100:04d}-{key % 100:02d}"
    y = pd.array(year, dtype="Int64")
    m = pd.array(month, dtype="Int64")
    ok = ~np.asarray(y.isna() | m.isna(), dtype=bool)
    if not ok.any():
        return ""
    key = int(
        (y.to_numpy(dtype=np.int64, na_value=0) * 100 + m.to_numpy(dtype=np.int64, na_value=0))[
            ok
        ].max()
    )
    return f"{key // 100:04d}-{key % 100:02d}"
