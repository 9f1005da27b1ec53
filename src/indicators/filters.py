"""The view's filters: one object shared by pages, charts, export and the URL query string."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from .contract import DEATH_DRUGS, SEIZURE_DRUGS, STATE_CODES

# Agency / component codes offered in the sidebar, with the rows they select.
AGENCY_LABELS = {
    "CDC": "CDC/NCHS (overdose deaths)",
    "OFO": "CBP Office of Field Operations",
    "USBP": "CBP U.S. Border Patrol",
    "AMO": "CBP Air and Marine Operations",
    "DEA": "DEA",
    "HIDTA": "Law enforcement reporting to HIDTA",
}
COMPONENT_OF = {
    "OFO": "Office of Field Operations",
    "USBP": "U.S. Border Patrol",
    "AMO": "Air and Marine Operations",
}
ALL_AGENCIES = tuple(AGENCY_LABELS)
YEAR_MIN, YEAR_MAX = 1999, 2026
BASE_YEARS = (2015, 2025)  # the overview index's base years (its input's range)


# The states page compares at most this many states (each in a colour of its own:
# charts.style.STATE_COLOURS has as many).
MAX_STATES = 8


@dataclass(frozen=True)
class Filters:
    basis: str = "calendar"  # "calendar" or "fiscal"
    year_from: int = 2015
    year_to: int = 2026
    agencies: tuple[str, ...] = ALL_AGENCIES
    claims: bool = True
    article: str = ""
    drug: str = "fentanyl"  # seizures page
    death_drug: str = "all_drugs"  # overdose page
    measure: str = "quantity"  # seizures: quantity (lb) or events
    region: str = ""  # seizures region / encounters land border region
    citizenship: str = "CHINA, PEOPLES REPUBLIC OF"
    dimension: str = "land_border_region"  # encounters breakdown
    state_year: int = 2022
    base_year: int = 2020  # overview index
    present: bool = False
    # states page
    states: tuple[str, ...] = ("WV", "OH", "AZ")
    state_measure: str = "rate"  # "rate" (per 100,000, with the U.S. line) or "count"
    change_from: str = ""  # YYYY-MM; "" = a year before change_to
    change_to: str = ""  # YYYY-MM; "" = the latest month every state has
    enc_from: int = 0  # fiscal year; 0 = the year before enc_to
    enc_to: int = 0  # fiscal year; 0 = the latest full year
    grid_y: str = "shared"  # small multiples: "shared" or "free" y-axes
    grid_sort: str = "rate"  # "rate", "change" or "name"

    @property
    def components(self) -> list[str]:
        return [COMPONENT_OF[a] for a in self.agencies if a in COMPONENT_OF]

    def years(self) -> tuple[int, int]:
        return self.year_from, self.year_to

    def basis_label(self) -> str:
        return "federal fiscal year (Oct-Sep)" if self.basis == "fiscal" else "calendar year"

    def year_label(self, y: int) -> str:
        return f"FY{y}" if self.basis == "fiscal" else str(y)

    def range_label(self) -> str:
        """'FY2020-FY2024', or one year ('FY2023', not 'FY2023-FY2023')."""
        if self.year_from == self.year_to:
            return self.year_label(self.year_from)
        return f"{self.year_label(self.year_from)}-{self.year_label(self.year_to)}"

    # --- URL query string ---------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        d = Filters()
        out = {}
        for f in fields(self):
            v, dv = getattr(self, f.name), getattr(d, f.name)
            if v == dv:
                continue
            if isinstance(v, bool):
                out[f.name] = "1" if v else "0"
            elif isinstance(v, tuple):
                out[f.name] = ",".join(v) if v else "none"
            else:
                out[f.name] = str(v)
        return out

    @classmethod
    def from_query(cls, qp: dict[str, str | list[str]]) -> Filters:
        """Filters from a query string; bad values fall back to the defaults."""
        d = cls()
        kw = {}
        for f in fields(cls):
            if f.name not in qp:
                continue
            raw = qp[f.name]
            raw = raw[-1] if isinstance(raw, list) else raw
            default = getattr(d, f.name)
            try:
                if isinstance(default, bool):
                    kw[f.name] = raw in ("1", "true", "yes", "on")
                elif isinstance(default, int):
                    kw[f.name] = int(raw)
                elif isinstance(default, tuple):
                    valid = STATE_CODES if f.name == "states" else ALL_AGENCIES
                    kw[f.name] = (
                        tuple(dict.fromkeys(a for a in raw.split(",") if a in valid))
                        if raw != "none"
                        else ()
                    )
                    if f.name == "states":  # the page's picker holds at most this many
                        kw[f.name] = kw[f.name][:MAX_STATES]
                else:
                    kw[f.name] = str(raw)[:200]
            except ValueError:
                continue
        out = replace(d, **kw)
        return out.clamped()

    def clamped(self) -> Filters:
        basis = self.basis if self.basis in ("calendar", "fiscal") else "calendar"
        # a choice a page's radio or select offers: another value in a URL is the default
        # ('measure=zzz' had raised a KeyError with a traceback; 'grid_y=xx' became 'free')
        fields_ = Filters.__dataclass_fields__
        fixed = {
            k: getattr(self, k) if getattr(self, k) in v else fields_[k].default
            for k, v in CHOICES.items()
        }
        lo = min(max(self.year_from, YEAR_MIN), YEAR_MAX)
        hi = min(max(self.year_to, YEAR_MIN), YEAR_MAX)
        if lo > hi:
            lo, hi = hi, lo
        # the overview's base-year input takes BASE_YEARS: a year beyond them in a URL is the
        # nearest one it takes (the input would otherwise reset it to its first, 2015)
        base = min(max(self.base_year, BASE_YEARS[0]), BASE_YEARS[1])
        return replace(self, basis=basis, year_from=lo, year_to=hi, base_year=base, **fixed)

    def with_(self, **kw) -> Filters:
        return replace(self, **kw)

    def as_dict(self) -> dict:
        d = asdict(self)
        return d


# The values of the filters a page offers as a fixed set of choices.
CHOICES: dict[str, tuple[str, ...]] = {
    "measure": ("quantity", "events"),
    "state_measure": ("rate", "count"),
    "grid_y": ("shared", "free"),
    "grid_sort": ("rate", "change", "name"),
    "dimension": ("component", "land_border_region", "area_of_responsibility", "demographic", "citizenship",
                  "title_of_authority", "encounter_type"),
    "drug": tuple(d for d in SEIZURE_DRUGS if d != "counterfeit_pills"),  # the seizures page's list
    "death_drug": tuple(DEATH_DRUGS),
}  # fmt: skip


def not_taken(
    qp: dict[str, str | list[str]], known: dict[str, set[str]] | None = None
) -> list[tuple[str, str, object]]:
    """The filters of a URL not taken as written, as (name, what the link said, what is shown
    instead; None: left out): a mistyped shared link is said, not shown silently as another
    view. `known`: the values the data hold for filters a page resets (citizenship, months)."""
    f = Filters.from_query(qp)
    out: list[tuple[str, str, object]] = []
    for x in fields(Filters):
        if x.name not in qp:
            continue
        raw = qp[x.name]
        raw = str(raw[-1] if isinstance(raw, list) else raw)
        got = getattr(f, x.name)
        if isinstance(got, bool):
            continue
        if isinstance(got, tuple):
            lost = [a for a in raw.split(",") if a and a != "none" and a not in got]
            out += [(x.name, a, None) for a in lost[:5]]
        elif x.name in (known or {}):
            if raw not in known[x.name]:
                out.append((x.name, raw[:40], None))
        elif raw != str(got):
            out.append((x.name, raw[:40], got))
    return out


# Filters accepted by `indicators export --where` (the same names as the URL).
def from_where(items: list[tuple[str, str]]) -> Filters:
    qp: dict[str, str] = {}
    valid = {f.name for f in fields(Filters)}
    for k, v in items:
        if k not in valid:
            raise KeyError(f"unknown chart filter {k!r}; valid: {', '.join(sorted(valid))}")
        qp[k] = v
    return Filters.from_query(qp)
