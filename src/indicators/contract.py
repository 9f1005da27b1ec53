"""The data contract: table names, columns, types, code lists. Declared once, used everywhere.

Every table is long ("tidy"): one row per published figure. Text columns that do not apply
to a row hold "" (not null) so they can be filtered and grouped; numeric columns use nulls.
`scope` names the columns that identify the periods/series a file covers: when a newer
vintage is ingested, every stored row in a scope the new file covers is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
COMPONENT_SHORT = {
    "Office of Field Operations": "OFO",
    "U.S. Border Patrol": "USBP",
    "Air and Marine Operations": "AMO",
}
AGENCIES = {
    "CDC/NCHS": "CDC National Center for Health Statistics",
    "CBP": "U.S. Customs and Border Protection",
    "DEA": "Drug Enforcement Administration",
    "HIDTA": "All U.S. law enforcement, HIDTA program data (Palamar et al., NIDA)",
}
DEMOGRAPHICS = ("Single Adults", "FMUA", "Accompanied Minors", "UAC")
ENCOUNTER_TYPES = ("Apprehensions", "Inadmissibles", "Expulsions")

# --- tables -------------------------------------------------------------------------------

_PROV = (
    Column("source_id", "str", "Id of the source file in data/sources.json"),
    Column("vintage", "str", "Release of the source: YYYY-MM (data through) or YYYY-MM-DD"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "overdose_deaths",
            "Drug overdose deaths, CDC/NCHS: final annual counts and VSRR provisional 12-month-ending counts.",
            (
                Column("geo", "str", "US, a state postal code, or YC (New York City, VSRR only)", allowed=GEO_CODES),
                Column("period_type", "str", "calendar_year (final) or 12_month_ending (VSRR)", allowed=frozenset({"calendar_year", "12_month_ending"})),
                Column("year", "int", "Calendar year of the period's end", minimum=1990, maximum=2100),
                Column("month", "int", "Month of the period's end (12 for calendar years)", minimum=1, maximum=12),
                Column("period_end", "date", "Last day of the period"),
                Column("drug", "str", "Drug code", allowed=frozenset(DEATH_DRUGS)),
                Column("deaths", "int", "Deaths as reported", nullable=True, minimum=0),
                Column("deaths_predicted", "int", "VSRR predicted value (adjusted for pending investigations)", nullable=True, minimum=0),
                Column("age_adjusted_rate", "float", "Age-adjusted deaths per 100,000, where the source gives it", nullable=True, minimum=0),
                Column("status", "str", "final or provisional", allowed=frozenset({"final", "provisional"})),
                Column("agency", "str", "Publishing agency", allowed=frozenset({"CDC/NCHS"})),
                *_PROV,
            ),
            scope=("geo", "period_type", "status", "year", "month", "drug"),
            measures=("deaths", "deaths_predicted", "age_adjusted_rate"),
        ),
        Table(
            "seizures",
            "Drug seizures: CBP by fiscal year and month (OFO, USBP, AMO); DEA and national (HIDTA) fentanyl figures by calendar year.",
            (
                Column("agency", "str", "CBP, DEA or HIDTA (all U.S. law enforcement)", allowed=frozenset({"CBP", "DEA", "HIDTA"})),
                Column("series", "str", "Published series: cbp_nationwide, cbp_amo, or the DEA/HIDTA measure"),
                Column("component", "str", "CBP component, or empty"),
                Column("fiscal_year", "int", "Federal fiscal year (Oct-Sep); empty for calendar-year figures", nullable=True, minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year", minimum=1990, maximum=2100),
                Column("month", "int", "Month; empty for annual figures", nullable=True, minimum=1, maximum=12),
                Column("coverage", "str", "month, year, or year_to_date", allowed=frozenset({"month", "year", "year_to_date"})),
                Column("as_of", "date", "Cut-off date of a year-to-date figure", nullable=True),
                Column("region", "str", "CBP region: Southwest Border, Northern Border, Coastal/Interior"),
                Column("land_filter", "str", "CBP: Land or Other"),
                Column("area_of_responsibility", "str", "CBP field office, sector or AMO branch"),
                Column("drug", "str", "Drug code", allowed=frozenset(SEIZURE_DRUGS)),
                Column("form", "str", "pills, powder, or empty (all forms by weight)", allowed=frozenset({"", "pills", "powder"})),
                Column("events", "int", "Number of seizure events", nullable=True, minimum=0),
                Column("quantity", "float", "Quantity seized", minimum=0),
                Column("unit", "str", "lb, kg or pills", allowed=frozenset({"lb", "kg", "pills"})),
                Column("qualifier", "str", "Wording of a rounded published figure: 'more than', 'nearly', ... or empty"),
                Column("source_url", "str", "Page the figure was read on (hand-entered figures)"),
                Column("source_quote", "str", "Exact quote holding the figure (hand-entered figures)"),
                *_PROV,
            ),
            scope=("agency", "series", "component", "fiscal_year", "year", "month", "drug", "form", "coverage", "as_of"),
            measures=("quantity", "events"),
        ),
        Table(
            "encounters",
            "CBP nationwide encounters by component and area of responsibility (AOR), by fiscal year and month.",
            (
                Column("component", "str", "Office of Field Operations or U.S. Border Patrol", allowed=frozenset(CBP_COMPONENTS[:2])),
                Column("fiscal_year", "int", "Federal fiscal year", minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year", minimum=1990, maximum=2100),
                Column("month", "int", "Month", minimum=1, maximum=12),
                Column("land_border_region", "str", "Northern Land Border, Southwest Land Border, Other"),
                Column("area_of_responsibility", "str", "Field office (OFO) or sector (USBP)"),
                Column("aor_abbv", "str", "CBP's AOR abbreviation (SWB is Swanton Sector)"),
                Column("demographic", "str", "Single Adults, FMUA, Accompanied Minors, UAC", allowed=frozenset(DEMOGRAPHICS)),
                Column("citizenship", "str", "Country of citizenship, CBP's upper-case label"),
                Column("title_of_authority", "str", "Title 8 or Title 42", allowed=frozenset({"Title 8", "Title 42"})),
                Column("encounter_type", "str", "Apprehensions, Inadmissibles, Expulsions", allowed=frozenset(ENCOUNTER_TYPES)),
                Column("encounters", "int", "Encounter count", minimum=0),
                *_PROV,
            ),
            scope=("fiscal_year", "month"),
            measures=("encounters",),
        ),
        Table(
            "encounters_by_state",
            "CBP nationwide encounters by state (no component split). A different cut of the same events as `encounters`: never add the two.",
            (
                Column("fiscal_year", "int", "Federal fiscal year", minimum=1990, maximum=2100),
                Column("year", "int", "Calendar year", minimum=1990, maximum=2100),
                Column("month", "int", "Month", minimum=1, maximum=12),
                Column("land_border_region", "str", "Northern Land Border, Southwest Land Border, Other"),
                Column("state", "str", "State or territory postal code", allowed=GEO_CODES - {"US", "YC"}),
                Column("demographic", "str", "Single Adults, FMUA, Accompanied Minors, UAC", allowed=frozenset(DEMOGRAPHICS)),
                Column("citizenship", "str", "Country of citizenship, CBP's upper-case label"),
                Column("title_of_authority", "str", "Title 8 or Title 42", allowed=frozenset({"Title 8", "Title 42"})),
                Column("encounters", "int", "Encounter count", minimum=0),
                *_PROV,
            ),
            scope=("fiscal_year", "month"),
            measures=("encounters",),
        ),
        Table(
            "population",
            "Census Bureau resident population estimates (July 1), for rates per 100,000.",
            (
                Column("geo", "str", "US or state postal code", allowed=GEO_CODES),
                Column("year", "int", "Year of the July 1 estimate", minimum=1990, maximum=2100),
                Column("population", "int", "Resident population", minimum=1),
                *_PROV,
            ),
            scope=("geo", "year"),
            measures=("population",),
        ),
        Table(
            "claims",
            "Claims of news articles: quantitative claims with a checkable spec, and dated events.",
            (
                Column("article_id", "str", "Short id of the article"),
                Column("article_title", "str", "Headline"),
                Column("article_outlet", "str", "Publisher"),
                Column("article_date", "str", "Publication date (YYYY-MM-DD or YYYY-MM)"),
                Column("article_url", "str", "URL, if known"),
                Column("claim_id", "str", "Id, unique within the article"),
                Column("kind", "str", "quantitative or event", allowed=frozenset({"quantitative", "event"})),
                Column("quote", "str", "Exact quote from the article"),
                Column("speaker", "str", "Who said it (the article itself if nobody is quoted)"),
                Column("table", "str", "Table the claim is checked against"),
                Column("filters", "str", "COL=VALUE;COL=VALUE filters on that table"),
                Column("year_basis", "str", "calendar, fiscal or 12_month_ending"),
                Column("year_start", "int", "First year of the claim's period", nullable=True),
                Column("year_end", "int", "Last year of the claim's period", nullable=True),
                Column("measure", "str", "Column summed"),
                Column("comparator", "str", "over, under, about, at_least, at_most"),
                Column("claimed_value", "float", "Value the claim states", nullable=True),
                Column("variants", "str", "Other choices to check: 'label: COL=VALUE;... || label: ...'"),
                Column("unit", "str", "Unit of the claimed value"),
                Column("event_date", "str", "Date of an event (YYYY-MM-DD)"),
                Column("event_end", "str", "End date of an event span"),
                Column("label", "str", "Short label for charts"),
                Column("chart_topics", "str", "Charts the claim belongs on: deaths, seizures, encounters (;-separated)"),
                Column("evidence_url", "str", "Public source that dates the event or explains the check"),
                Column("note", "str", "How the claim was encoded; why it cannot be checked"),
                Column("source_id", "str", "Id of the claims file"),
                Column("vintage", "str", "Date the claims were encoded"),
            ),
            scope=("article_id",),
            measures=("claimed_value",),
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


def _lines(df: pd.DataFrame, mask: pd.Series) -> list[int]:
    rows = df.loc[mask]
    if "_line" in rows:
        return [int(x) for x in rows["_line"].tolist()]
    return [int(i) + 2 for i in rows.index.tolist()]


def problems(df: pd.DataFrame, name: str) -> list[Problem]:
    """Every way `df` breaks the contract of table `name`, with the lines concerned."""
    spec = table(name)
    found: list[Problem] = []
    missing = [c for c in spec.names if c not in df.columns]
    if missing:
        found.append(Problem(f"missing columns {missing}; table {name} has {spec.names}"))
        return found
    for col in spec.columns:
        s = df[col.name]
        null = s.isna()
        if not col.nullable and null.any():
            found.append(Problem("empty value where one is required", col.name, _lines(df, null)))
        present = s[~null]
        if col.allowed is not None and len(present):
            bad = ~present.astype(str).isin(col.allowed)
            if bad.any():
                idx = present.index[bad]
                vals = sorted(set(present[bad].astype(str)))[:3]
                found.append(
                    Problem(
                        f"value not in the code list ({len(col.allowed)} codes)",
                        col.name,
                        _lines(df, df.index.isin(idx)),
                        vals,
                    )
                )
        if col.dtype in ("int", "float") and len(present):
            num = pd.to_numeric(present, errors="coerce")
            if col.minimum is not None and (num < col.minimum).any():
                idx = present.index[num < col.minimum]
                found.append(
                    Problem(
                        f"below the minimum {col.minimum:g}"
                        + (" (counts cannot be negative)" if col.minimum == 0 else ""),
                        col.name,
                        _lines(df, df.index.isin(idx)),
                        [str(v) for v in present[idx][:3]],
                    )
                )
            if col.maximum is not None and (num > col.maximum).any():
                idx = present.index[num > col.maximum]
                found.append(
                    Problem(
                        f"above the maximum {col.maximum:g}",
                        col.name,
                        _lines(df, df.index.isin(idx)),
                        [str(v) for v in present[idx][:3]],
                    )
                )
    return found


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Columns of the table in contract order and dtype (extra columns such as _line dropped)."""
    spec = table(name)
    out = pd.DataFrame(index=df.index)
    for col in spec.columns:
        s = df[col.name]
        if col.dtype == "str":
            s = s.fillna("").astype("string")
        elif col.dtype == "date":
            s = pd.to_datetime(s).astype("datetime64[ms]")
        else:
            s = s.astype(PANDAS_DTYPES[col.dtype])
        out[col.name] = s
    return out.reset_index(drop=True)


def empty(name: str) -> pd.DataFrame:
    spec = table(name)
    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPES[c.dtype]) for c in spec.columns})
