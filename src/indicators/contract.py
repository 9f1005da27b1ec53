"""The data contract: table names, columns, types, code lists. Declared once, used everywhere.

Every table is long ("tidy"): one row per published figure. Text columns that do not apply
to a row hold "" (not null) so they can be filtered and grouped; numeric columns use nulls.
`scope` names the columns that identify the periods/series a file covers: when a newer
vintage is ingested, every stored row in a scope the new file covers is replaced.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import ExtensionArray

from .errors import Problem


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str", "int", "float", "date", "bool"
    doc: str
    nullable: bool = False
    allowed: frozenset[str] | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    scope: tuple[str, ...]
    measures: tuple[str, ...]
    source: str = ""  # who publishes it, for the data dictionary's heading
    notes: tuple[str, ...] = ()  # paragraphs for the data dictionary

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# --- code lists -------------------------------------------------------------------------

# (postal code, FIPS, name): 50 states + DC, plus the jurisdictions CDC/CBP also report.
STATES: tuple[tuple[str, str, str], ...] = (
    ("AL", "01", "Alabama"), ("AK", "02", "Alaska"), ("AZ", "04", "Arizona"),
    ("AR", "05", "Arkansas"), ("CA", "06", "California"), ("CO", "08", "Colorado"),
    ("CT", "09", "Connecticut"), ("DE", "10", "Delaware"), ("DC", "11", "District of Columbia"),
    ("FL", "12", "Florida"), ("GA", "13", "Georgia"), ("HI", "15", "Hawaii"),
    ("ID", "16", "Idaho"), ("IL", "17", "Illinois"), ("IN", "18", "Indiana"),
    ("IA", "19", "Iowa"), ("KS", "20", "Kansas"), ("KY", "21", "Kentucky"),
    ("LA", "22", "Louisiana"), ("ME", "23", "Maine"), ("MD", "24", "Maryland"),
    ("MA", "25", "Massachusetts"), ("MI", "26", "Michigan"), ("MN", "27", "Minnesota"),
    ("MS", "28", "Mississippi"), ("MO", "29", "Missouri"), ("MT", "30", "Montana"),
    ("NE", "31", "Nebraska"), ("NV", "32", "Nevada"), ("NH", "33", "New Hampshire"),
    ("NJ", "34", "New Jersey"), ("NM", "35", "New Mexico"), ("NY", "36", "New York"),
    ("NC", "37", "North Carolina"), ("ND", "38", "North Dakota"), ("OH", "39", "Ohio"),
    ("OK", "40", "Oklahoma"), ("OR", "41", "Oregon"), ("PA", "42", "Pennsylvania"),
    ("RI", "44", "Rhode Island"), ("SC", "45", "South Carolina"), ("SD", "46", "South Dakota"),
    ("TN", "47", "Tennessee"), ("TX", "48", "Texas"), ("UT", "49", "Utah"),
    ("VT", "50", "Vermont"), ("VA", "51", "Virginia"), ("WA", "53", "Washington"),
    ("WV", "54", "West Virginia"), ("WI", "55", "Wisconsin"), ("WY", "56", "Wyoming"),
)  # fmt: skip
OTHER_JURISDICTIONS: tuple[tuple[str, str, str], ...] = (
    ("PR", "72", "Puerto Rico"), ("VI", "78", "U.S. Virgin Islands"), ("GU", "66", "Guam"),
    ("MP", "69", "Northern Mariana Islands"), ("AS", "60", "American Samoa"),
    ("YC", "", "New York City"),
)  # fmt: skip
STATE_CODES = frozenset(s[0] for s in STATES)
GEO_CODES = frozenset({"US"} | STATE_CODES | {s[0] for s in OTHER_JURISDICTIONS})
GEO_NAMES = {code: name for code, _, name in STATES + OTHER_JURISDICTIONS} | {"US": "United States"}
NAME_TO_GEO = {name.lower(): code for code, name in GEO_NAMES.items()}
NAME_TO_GEO["district of columbia"] = "DC"

# Overdose-death drug codes and the CDC indicator wording they stand for.
DEATH_DRUGS: dict[str, str] = {
    "all_drugs": "All drug overdose deaths",
    "all_opioids": "Opioids (T40.0-T40.4, T40.6)",
    "synthetic_opioids": "Synthetic opioids other than methadone, mostly fentanyl (T40.4)",
    "heroin": "Heroin (T40.1)",
    "natural_semisynthetic_opioids": "Natural and semi-synthetic opioids (T40.2)",
    "natural_semisynthetic_incl_methadone": "Natural and semi-synthetic opioids incl. methadone (T40.2, T40.3)",
    "natural_semisynthetic_synthetic_incl_methadone": "Natural, semi-synthetic and synthetic opioids incl. methadone (T40.2-T40.4)",
    "methadone": "Methadone (T40.3)",
    "cocaine": "Cocaine (T40.5)",
    "psychostimulants": "Psychostimulants with abuse potential, mostly methamphetamine (T43.6)",
    "benzodiazepines": "Benzodiazepines",
}
SEIZURE_DRUGS: dict[str, str] = {
    "fentanyl": "Fentanyl",
    "methamphetamine": "Methamphetamine",
    "cocaine": "Cocaine",
    "heroin": "Heroin",
    "marijuana": "Marijuana",
    "ecstasy": "Ecstasy",
    "ketamine": "Ketamine",
    "khat": "Khat (Catha edulis)",
    "lsd": "LSD",
    "other_drugs": "Other drugs",
    "counterfeit_pills": "Counterfeit pills (any content)",
}
CBP_COMPONENTS = (
    "Office of Field Operations",
    "U.S. Border Patrol",
    "Air and Marine Operations",
)
# CBP's components in words a reader knows, with CBP's own abbreviation (charts and notes)
COMPONENT_PLAIN = {
    "Office of Field Operations": "ports of entry (OFO)",
    "U.S. Border Patrol": "Border Patrol (USBP)",
    "Air and Marine Operations": "Air and Marine (AMO)",
}
BOTH_COMPONENTS = "ports of entry (OFO) + Border Patrol (USBP)"
# CBP's components in a reader's words (notes, explanations, previews: no codes)
COMPONENT_SHORT = {
    "Office of Field Operations": "ports of entry",
    "U.S. Border Patrol": "Border Patrol",
    "Air and Marine Operations": "Air and Marine Operations",
}
DEMOGRAPHICS = ("Single Adults", "FMUA", "Accompanied Minors", "UAC")
ENCOUNTER_TYPES = ("Apprehensions", "Inadmissibles", "Expulsions")

# --- tables -------------------------------------------------------------------------------

_PROV = (
    Column(
        "source_id",
        "str",
        "Provenance: an id in `data/sources.json`, or `upload:<sha256 prefix>` for an uploaded file",
    ),
    Column(
        "vintage",
        "str",
        "Provenance: the release, `YYYY-MM` (the last month the file's data reach) or a date for hand-entered figures",
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "overdose_deaths",
            "Drug overdose deaths, CDC/NCHS: final annual counts and VSRR provisional 12-month-ending counts.",
            (
                Column("geo", "str", "`US`, a state postal code, or `YC` (New York City, reported apart from New York State in VSRR)", allowed=GEO_CODES),
                Column("period_type", "str", "`calendar_year` (final annual counts) or `12_month_ending` (VSRR provisional)", allowed=frozenset({"calendar_year", "12_month_ending"})),
                Column("year", "int", "Calendar year of the period's end", minimum=1990, maximum=2100),
                Column("month", "int", "Month of the period's end (12 for calendar years)", minimum=1, maximum=12),
                Column("period_end", "date", "Last day of the period"),
                Column("drug", "str", "Drug category (`synthetic_opioids` is T40.4, mostly fentanyl). Categories overlap: never add them", allowed=frozenset(DEATH_DRUGS)),
                Column("deaths", "int", "Deaths as reported", nullable=True, minimum=0),
                Column("deaths_predicted", "int", "VSRR predicted value (adjusted for pending investigations)", nullable=True, minimum=0),
                Column("age_adjusted_rate", "float", "Age-adjusted deaths per 100,000, where the source gives it", nullable=True, minimum=0),
                Column("status", "str", "`final` or `provisional`", allowed=frozenset({"final", "provisional"})),
                Column("agency", "str", "Publishing agency", allowed=frozenset({"CDC/NCHS"})),
                *_PROV,
            ),
            scope=("geo", "period_type", "status", "year", "month", "drug"),
            measures=("deaths", "deaths_predicted", "age_adjusted_rate"),
            source="CDC/NCHS",
        ),
        Table(
            "seizures",
            "Drug seizures: CBP by fiscal year and month (OFO, USBP, AMO); DEA and HIDTA fentanyl figures by calendar year.",
            (
                Column("agency", "str", "`CBP`, `DEA`, or `HIDTA` (seizures law enforcement agencies report to the HIDTA program; Palamar et al.)", allowed=frozenset({"CBP", "DEA", "HIDTA"})),
                Column("series", "str", "`cbp_nationwide` (OFO + USBP file), `cbp_amo` (Air and Marine Operations file), or the DEA/HIDTA measure (`fentanyl_pills`, `fentanyl_powder`, `*_ytd`, `fake_pills`, `fentanyl_powder_ndta`)"),
                Column("component", "str", "`Office of Field Operations`, `U.S. Border Patrol`, `Air and Marine Operations`, or empty"),
                Column("fiscal_year", "int", "Federal fiscal year (Oct-Sep); empty for calendar-year figures", nullable=True, minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year", minimum=1990, maximum=2100),
                Column("month", "int", "Month; empty for annual figures", nullable=True, minimum=1, maximum=12),
                Column("coverage", "str", "`month`, `year` or `year_to_date`", allowed=frozenset({"month", "year", "year_to_date"})),
                Column("as_of", "date", "Cut-off date of a year-to-date figure", nullable=True),
                Column("region", "str", "CBP's region: `Southwest Border`, `Northern Border`, `Coastal/Interior`"),
                Column("land_filter", "str", "CBP: `Land` or `Other`"),
                Column("area_of_responsibility", "str", "CBP field office, sector or AMO branch"),
                Column("drug", "str", "Drug seized", allowed=frozenset(SEIZURE_DRUGS)),
                Column("form", "str", "`pills`, `powder`, or empty (all forms, by weight)", allowed=frozenset({"", "pills", "powder"})),
                Column("events", "int", "Number of seizure events (CBP)", nullable=True, minimum=0),
                Column("quantity", "float", "Amount seized, in `unit` (never converted)", minimum=0),
                Column("unit", "str", "`lb`, `kg` or `pills`", allowed=frozenset({"lb", "kg", "pills"})),
                Column("qualifier", "str", "Wording of a rounded published figure (`more than`, `over`, `nearly`) or empty"),
                Column("source_url", "str", "Page a hand-entered figure was read on"),
                Column("source_quote", "str", "Exact quote holding a hand-entered figure"),
                *_PROV,
            ),
            scope=("agency", "series", "component", "fiscal_year", "year", "month", "drug", "form", "coverage", "as_of"),
            measures=("quantity", "events"),
            source="CBP, DEA, HIDTA (law enforcement agencies reporting to it)",
            notes=("When DEA announced a figure and later revised it, only the revised figure is in the table.",),
        ),
        Table(
            "encounters",
            "CBP nationwide encounters by component and area of responsibility (AOR), by fiscal year and month.",
            (
                Column("component", "str", "`Office of Field Operations` or `U.S. Border Patrol`", allowed=frozenset(CBP_COMPONENTS[:2])),
                Column("fiscal_year", "int", "Federal fiscal year", minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year (fiscal and calendar year are both right on every row)", minimum=1990, maximum=2100),
                Column("month", "int", "Month", minimum=1, maximum=12),
                Column("land_border_region", "str", "`Northern Land Border`, `Southwest Land Border`, `Other`"),
                Column("area_of_responsibility", "str", "Field office (OFO) or sector (USBP)"),
                Column("aor_abbv", "str", "CBP's abbreviation of the area (`SWB` is the Swanton Sector)"),
                Column("demographic", "str", "`Single Adults`, `FMUA`, `Accompanied Minors`, `UAC` (the 2023 label `UC / Single Minors` is normalised to `UAC`)", allowed=frozenset(DEMOGRAPHICS)),
                Column("citizenship", "str", "CBP's upper-case label, e.g. `CHINA, PEOPLES REPUBLIC OF`"),
                Column("title_of_authority", "str", "`Title 8` or `Title 42`", allowed=frozenset({"Title 8", "Title 42"})),
                Column("encounter_type", "str", "`Apprehensions` (USBP, Title 8), `Inadmissibles` (OFO, Title 8), `Expulsions` (Title 42)", allowed=frozenset(ENCOUNTER_TYPES)),
                Column("encounters", "int", "Encounter count", minimum=0),
                *_PROV,
            ),
            scope=("fiscal_year", "month"),
            measures=("encounters",),
            source="CBP by area of responsibility",
        ),
        Table(
            "encounters_by_state",
            "CBP nationwide encounters by state (no component split). A different cut of the same events as `encounters`: never add the two.",
            (
                Column("fiscal_year", "int", "Federal fiscal year", minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year", minimum=1990, maximum=2100),
                Column("month", "int", "Month", minimum=1, maximum=12),
                Column("land_border_region", "str", "`Northern Land Border`, `Southwest Land Border`, `Other`"),
                Column("state", "str", "State or territory postal code", allowed=GEO_CODES - {"US", "YC"}),
                Column("demographic", "str", "`Single Adults`, `FMUA`, `Accompanied Minors`, `UAC`", allowed=frozenset(DEMOGRAPHICS)),
                Column("citizenship", "str", "CBP's upper-case label"),
                Column("title_of_authority", "str", "`Title 8` or `Title 42`", allowed=frozenset({"Title 8", "Title 42"})),
                Column("encounters", "int", "Encounter count", minimum=0),
                *_PROV,
            ),
            scope=("fiscal_year", "month"),
            measures=("encounters",),
            source="CBP by state",
        ),
        Table(
            "population",
            "Census Bureau resident population estimates (July 1), for rates per 100,000.",
            (
                Column("geo", "str", "`US` or a state postal code", allowed=GEO_CODES),
                Column("year", "int", "Year of the July 1 estimate", minimum=1990, maximum=2100),
                Column("population", "int", "Resident population", minimum=1),
                *_PROV,
            ),
            scope=("geo", "year"),
            measures=("population",),
            source="Census Bureau",
        ),
        Table(
            "claims",
            "Claims of news articles: quantitative claims with a checkable spec, and dated events.",
            (
                Column("article_id", "str", "Short id of the article"),
                Column("article_title", "str", "Headline"),
                Column("article_outlet", "str", "Publisher"),
                Column("article_date", "str", "Publication date (`YYYY-MM-DD` or `YYYY-MM`)"),
                Column("article_url", "str", "URL, if known"),
                Column("claim_id", "str", "Id, unique within the article"),
                Column("kind", "str", "`quantitative` or `event`", allowed=frozenset({"quantitative", "event"})),
                Column("quote", "str", "Exact quote from the article"),
                Column("speaker", "str", "Who said it (the article itself if nobody is quoted)"),
                Column("table", "str", "Table the claim is checked against"),
                Column("filters", "str", "`COL=VALUE;COL=VALUE` filters on that table (the same column twice = either)"),
                Column("year_basis", "str", "`calendar`, `fiscal` or `12_month_ending`"),
                Column("year_start", "int", "First year of the claim's period", nullable=True),
                Column("year_end", "int", "Last year of the claim's period", nullable=True),
                Column("measure", "str", "Column summed"),
                Column("comparator", "str", "`over`, `at_least`, `under`, `at_most`, `about`, `rank_at_most`"),
                Column("claimed_value", "float", "Value the claim states", nullable=True),
                Column("variants", "str", "Other reasonable choices to check: `label: COL=VALUE;... \\|\\| label: ...` (also `measure=`, `year_start=`, `year_end=`)"),
                Column("unit", "str", "Unit of the claimed value"),
                Column("event_date", "str", "Date of an event (`YYYY-MM-DD`)"),
                Column("event_end", "str", "End date of an event span"),
                Column("label", "str", "Short label for charts"),
                Column("chart_topics", "str", "Charts the claim belongs on: `deaths`, `seizures`, `encounters` (`;`-separated)"),
                Column("evidence_url", "str", "Public source that dates the event or explains the check"),
                Column("note", "str", "How the claim was encoded; why it cannot be checked"),
                Column("source_id", "str", "Id of the claims file"),
                Column("vintage", "str", "Date the claims were encoded"),
            ),
            scope=("article_id",),
            measures=("claimed_value",),
            source="articles' claims, encoded by the project",
        ),
    )
}  # fmt: skip

DATA_TABLES = ("overdose_deaths", "seizures", "encounters", "encounters_by_state", "population")


def table(name: str) -> Table:
    """The table spec, or a KeyError that names the valid tables."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; valid tables: {', '.join(TABLES)}") from None


# --- validation ---------------------------------------------------------------------------

PANDAS_DTYPES = {
    "str": "string",
    "int": "Int64",
    "float": "Float64",
    "date": "datetime64[ms]",
    "bool": "boolean",
}


def _lines(df: pd.DataFrame, mask, lines: Callable[[Iterable[int]], list[int]] | None) -> list[int]:
    """File lines of the rows in `mask`: from `_row` (data-row positions, mapped by `lines`),
    else `_line`, else the index (row i of a frame read with a header is on line i + 2)."""
    m = np.asarray(mask, dtype=bool)
    if "_row" in df:
        rows = df["_row"].to_numpy()[m]
        return lines(rows) if lines else [int(r) + 2 for r in rows]
    if "_line" in df:
        return [int(x) for x in df["_line"].to_numpy()[m]]
    return [int(i) + 2 for i in df.index[m]]


def problems(
    df: pd.DataFrame, name: str, lines: Callable[[Iterable[int]], list[int]] | None = None
) -> list[Problem]:
    """Every way `df` breaks the contract of table `name`, with the lines concerned.

    `lines` maps the `_row` column (data-row positions in a file) to file lines; it is only
    called for failing rows. Checks run on whole columns (code lists on distinct values), and
    a row mask is only built for a check that fails. Columns of the usual types (Arrow text,
    nullable numbers, dates) are first checked on their arrays; only a column that may fail
    goes through the full check below, which names the rows.
    """
    spec = table(name)
    found: list[Problem] = []
    arrays = _column_arrays(df)
    have = arrays if arrays is not None else df.columns
    missing = [c for c in spec.names if c not in have]
    if missing:
        found.append(Problem(f"missing columns {missing}; table {name} has {spec.names}"))
        return found
    for col in spec.columns:
        if arrays is not None and _clean(col, arrays[col.name]):
            continue
        found += _column_problems(df, col, lines)
    return found


def _column_arrays(df: pd.DataFrame) -> dict[str, object] | None:
    """Each column's array, without a Series per column (None if the names repeat)."""
    names = df.columns.tolist()
    if len(set(names)) != len(names):
        return None
    mgr = getattr(df, "_mgr", None)
    if mgr is None or not hasattr(mgr, "iget_values"):
        return {c: df[c].array for c in names}
    return {c: mgr.iget_values(i) for i, c in enumerate(names)}


def _clean(col: Column, arr) -> bool:
    """True if the column certainly passes every check of `col` (a fast test on the array);
    False means "maybe not": the full check decides and names the rows."""
    if isinstance(arr, pd.arrays.ArrowStringArray) and arr.dtype == _STRING:
        if col.minimum is not None or col.maximum is not None:
            return False
        pa_arr = arr.__arrow_array__()
        if pa_arr.null_count:
            return False
        return col.allowed is None or col.allowed.issuperset(_distinct(pa_arr))
    if isinstance(arr, (pd.arrays.IntegerArray, pd.arrays.FloatingArray)):
        if col.allowed is not None:
            return False
        data, mask = arr._data, arr._mask
        if data.dtype.kind == "f" and np.isnan(data).any():
            return False
        has_null = bool(mask.any())
        if has_null and not col.nullable:
            return False
        if col.dtype not in ("int", "float") or (col.minimum is None and col.maximum is None):
            return True
        vals = data[~mask] if has_null else data
        if not len(vals):
            return True
        return (col.minimum is None or vals.min() >= col.minimum) and (
            col.maximum is None or vals.max() <= col.maximum
        )
    if isinstance(arr, pd.arrays.DatetimeArray) and arr.tz is None:
        if col.allowed is not None or col.minimum is not None or col.maximum is not None:
            return False
        return col.nullable or not arr.isna().any()
    return False


# Distinct values of Arrow text columns, recorded by the code that made them (a parser's
# code lists, a constant column): the code-list check then needs no scan of the rows. Keyed by
# the identity of the (immutable) Arrow array, dropped with it.
_KNOWN: dict[int, tuple[weakref.ref, frozenset]] = {}


def note_values(arr: pa.ChunkedArray, values: Iterable[str]) -> None:
    """Record that Arrow text `arr` holds no value outside `values` (they may be more)."""
    key = id(arr)
    _KNOWN[key] = (weakref.ref(arr, lambda _r, key=key: _KNOWN.pop(key, None)), frozenset(values))


def _distinct(arr: pa.ChunkedArray | pa.Array) -> Iterable[str]:
    """The column's distinct values, or a superset recorded by `note_values`."""
    got = _KNOWN.get(id(arr))
    if got is not None and got[0]() is arr:
        return got[1]
    return pc.unique(arr).to_pylist()


def _column_problems(
    df: pd.DataFrame, col: Column, lines: Callable[[Iterable[int]], list[int]] | None
) -> list[Problem]:
    """Every way one column breaks its declaration, with the lines concerned."""
    found: list[Problem] = []
    s = df[col.name]
    arr = _arrow(s)
    has_null = (arr.null_count if arr is not None else s.isna().sum()) > 0
    if arr is not None and pa.types.is_floating(arr.type):
        has_null = has_null or pc.any(pc.is_nan(arr)).as_py() or False
    null = s.isna().to_numpy(dtype=bool) if has_null else None
    if not col.nullable and has_null:
        found.append(
            Problem("empty value where one is required", col.name, _lines(df, null, lines))
        )
    if col.allowed is not None:
        if arr is not None and pa.types.is_large_string(arr.type):
            uniq = pc.unique(arr.drop_null()).to_pylist()
        else:
            uniq = s[~null].unique() if has_null else s.unique()
        bad_vals = sorted({str(v) for v in uniq if str(v) not in col.allowed})
        if bad_vals:
            bad = s.astype(str).isin(bad_vals).to_numpy(dtype=bool)
            if has_null:
                bad &= ~null
            found.append(
                Problem(
                    f"value not in the code list ({len(col.allowed)} codes)",
                    col.name,
                    _lines(df, bad, lines),
                    bad_vals[:3],
                )
            )
    if col.dtype in ("int", "float") and (col.minimum is not None or col.maximum is not None):
        if arr is not None and (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)):
            lo, hi = (v.as_py() for v in pc.min_max(arr).values())
            if lo is None:
                return found
            if (col.minimum is None or lo >= col.minimum) and (
                col.maximum is None or hi <= col.maximum
            ):
                return found
        num = pd.to_numeric(s, errors="coerce")
        for limit, below, what in (
            (col.minimum, True, "below the minimum"),
            (col.maximum, False, "above the maximum"),
        ):
            if limit is None:
                continue
            out = ((num < limit) if below else (num > limit)).fillna(False).to_numpy(bool)
            if not out.any():
                continue
            note = " (counts cannot be negative)" if below and limit == 0 else ""
            found.append(
                Problem(
                    f"{what} {limit:g}{note}",
                    col.name,
                    _lines(df, out, lines),
                    [str(v) for v in s[out][:3]],
                )
            )
    return found


def _arrow(s: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column as Arrow (no copy for Arrow-backed text), or None for object columns."""
    if s.dtype == object:
        return None
    try:
        return (
            pa.array(s.array)
            if not hasattr(s.array, "__arrow_array__")
            else s.array.__arrow_array__()
        )
    except (pa.ArrowException, TypeError, ValueError):
        return None


def conform(df: pd.DataFrame, name: str, *, copy: bool = True) -> pd.DataFrame:
    """Columns of the table in contract order and dtype (extra columns such as _row dropped).

    Text columns hold "" where nothing applies. The frame returned has its own copy of every
    column, unless `copy` is False: then a column already in its dtype is taken as it is
    (for a caller that owns `df` and drops it, as `sources.parse_bytes` does), except one
    that another column shares or that cannot be written.
    """
    spec = table(name)
    arrays = _column_arrays(df) or {}
    out = {}
    for col in spec.columns:
        arr = arrays.get(col.name)
        if not isinstance(arr, ExtensionArray):
            arr = df[col.name].array
        if col.dtype == "str":
            if arr.dtype != _STRING:
                arr = pd.Series(arr).fillna("").astype("string").array
            if arr.__arrow_array__().null_count:
                arr = arr.fillna("")
        elif col.dtype == "date":
            if arr.dtype != "datetime64[ms]":
                arr = pd.to_datetime(pd.Series(arr)).astype("datetime64[ms]").array
        elif arr.dtype != PANDAS_DTYPES[col.dtype]:
            arr = pd.Series(arr).astype(PANDAS_DTYPES[col.dtype]).array
        out[col.name] = arr
    if copy:
        return pd.DataFrame(out, index=pd.RangeIndex(len(df)))
    seen: set[int] = set()
    for k, arr in out.items():
        if id(arr) in seen or not _writable(arr):
            out[k] = arr = arr.copy()
        seen.add(id(arr))
    return frame_of_arrays(list(out.values()), _names_index(name), len(df))


def _names_index(name: str) -> pd.Index:
    """The table's column names as a pandas Index, made once (an Index is immutable)."""
    idx = _INDEXES.get(name)
    if idx is None:
        idx = _INDEXES[name] = pd.Index(table(name).names)
    return idx


_INDEXES: dict[str, pd.Index] = {}


def frame_of_arrays(arrays: list, columns: pd.Index, n: int) -> pd.DataFrame:
    """A frame of these 1-d pandas arrays (each n long, taken as they are), built without
    the per-column checks of the DataFrame constructor, which these arrays do not need."""
    if all(
        (isinstance(a, _FAST_ARRAYS) or (isinstance(a, np.ndarray) and a.dtype.kind in "iufb"))
        and a.ndim == 1
        and len(a) == n
        for a in arrays
    ):
        try:
            return pd.DataFrame._from_arrays(
                arrays, columns=columns, index=pd.RangeIndex(n), verify_integrity=False
            )
        except (AttributeError, TypeError):  # a pandas without this constructor
            pass
    return pd.DataFrame(dict(zip(columns, arrays, strict=True)), index=pd.RangeIndex(n), copy=False)


_FAST_ARRAYS = (
    pd.arrays.ArrowStringArray,
    pd.arrays.IntegerArray,
    pd.arrays.FloatingArray,
    pd.arrays.BooleanArray,
    pd.arrays.DatetimeArray,
)


def _writable(arr) -> bool:
    """Whether the numpy memory behind an array may be written (Arrow text always may: pandas
    replaces its Arrow array rather than writing into it)."""
    if isinstance(arr, pd.arrays.ArrowStringArray):
        return True
    parts = [getattr(arr, a, None) for a in ("_data", "_mask", "_ndarray")]
    parts = [p for p in parts if isinstance(p, np.ndarray)]
    return bool(parts) and all(p.flags.writeable for p in parts)


_STRING = pd.StringDtype("pyarrow", na_value=pd.NA)  # what "string" means in pandas 3


def empty(name: str) -> pd.DataFrame:
    spec = table(name)
    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPES[c.dtype]) for c in spec.columns})


# --- the same declarations as Parquet schema and documentation ------------------------------

ARROW_TYPES = {
    "str": pa.large_string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.timestamp("ms"),
    "bool": pa.bool_(),
}


def arrow_schema(name: str) -> pa.Schema:
    """The Parquet/Arrow schema of a table as stored (what `conform` gives, written by pyarrow)."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.dtype]) for c in table(name).columns])


_TYPE_WORDS = {"str": "text", "int": "integer", "float": "number", "date": "date", "bool": "yes/no"}
_SHOWN_CODES = 12  # code lists up to this long are printed in full

DICTIONARY_INTRO = """\
The bundled tables live in a versioned Parquet store under `data/store/` (or
`$INDICATORS_DATA_DIR/store/`). Every table is long ("tidy"): one row per published figure.
Text columns that do not apply hold `""`; numbers that do not apply are empty. Every row
carries `source_id` (an id in `data/sources.json`, or `upload:<sha256 prefix>` for an
uploaded file) and `vintage` (the release: the last month the file's data reach, `YYYY-MM`,
or a date for hand-entered figures).

The column types, code lists and ranges below are the checks every file passes at ingest, and
the types are the Parquet schema of the store: all three come from one declaration,
`src/indicators/contract.py`."""


def _values(c: Column) -> str:
    parts = []
    if c.allowed is not None:
        codes = sorted(c.allowed)
        if len(codes) <= _SHOWN_CODES:
            parts.append(", ".join(f"`{v}`" if v else '`""`' for v in codes))
        else:
            parts.append(f"one of {len(codes)} codes (`contract.py`)")
    if c.minimum is not None and c.maximum is not None:
        parts.append(f"{c.minimum:g} to {c.maximum:g}")
    elif c.minimum is not None:
        parts.append(f"at least {c.minimum:g}")
    if c.nullable:
        parts.append("may be empty")
    return "; ".join(parts)


def data_dictionary() -> str:
    """docs/data-dictionary.md, generated from TABLES (`uv run indicators dictionary --write`)."""
    out = [
        "# Data dictionary",
        "",
        "<!-- Generated from src/indicators/contract.py by `uv run indicators dictionary --write`;"
        " edit the contract, not this file. tests/test_docs.py checks they agree. -->",
        "",
        DICTIONARY_INTRO,
    ]
    for t in TABLES.values():
        out += ["", f"## `{t.name}`" + (f" ({t.source})" if t.source else ""), "", t.doc, ""]
        out += ["| column | type | values | meaning |", "|---|---|---|---|"]
        for c in t.columns:
            out.append(f"| `{c.name}` | {_TYPE_WORDS[c.dtype]} | {_values(c)} | {c.doc} |")
        out += ["", "Key of a series and period (`scope`, used when a newer release is merged): "
                + ", ".join(f"`{k}`" for k in t.scope) + "."]  # fmt: skip
        for note in t.notes:
            out += ["", note]
    return "\n".join(out) + "\n"
