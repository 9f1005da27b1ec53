"""Article claims checked against the data: the rule, the evaluation, the verdict.

A quantitative claim names a table, filters (`col=value;col=value`), a year basis and range,
the measure summed, a comparator and the claimed value. Its verdict follows this rule
(tolerance configurable, default 10%; "about" band 5%):

- over / more than / at_least: data >= claim -> supported; data below the claim by at most
  the tolerance -> overstated; further below -> contradicted.
- under / less than / at_most: data <= claim -> supported; data above by at most the
  tolerance -> understated; further above -> contradicted.
- about: within the band -> supported; claim above the data by up to the tolerance ->
  overstated, below -> understated; beyond the tolerance -> contradicted.
- nearly (just below): data between the claim less the tolerance and the claim plus the "about"
  band -> supported; data higher -> understated (within the tolerance) or contradicted; data
  lower -> overstated (within twice the tolerance) or contradicted.
- exactly: data equal to the claim within 0.5% -> supported; otherwise as "about" without
  its band (overstated/understated within the tolerance, else contradicted).
- rank_at_most (e.g. "among the highest"): the rank of the filtered geography among the 50
  states and DC is at most the claimed value -> supported, else contradicted.
- No data for the whole period (or no table for the claim) -> not_checkable, with why.

`variants` (`label: col=value;... || label: ...`) re-run the check with other choices
(final vs provisional, reported vs predicted, which agencies count, another year span). When
a variant's verdict differs, the explanation says that the answer depends on that choice.
Pseudo-filters in variants: `measure=`, `year_start=`, `year_end=`. A variant that swaps a
year-to-date figure for a full year (or back) is not comparable: it is shown for context only
and never counted as a verdict.

As of publication vs now: every check records the data vintages it used (`source_id@vintage`
of the rows compared) and when that release came out (`RELEASED`, else the month after the
vintage, the earliest it could have been). When the release is later than the article,
`published_after_article` is set, and if an earlier version of the store holds figures for the
same period released by the article's date, the verdict at publication is computed from them
(`at_publication`); otherwise the explanation says that no earlier vintage is stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field

import pandas as pd

from . import contract, manifest, query
from .store import Store, StoreError, Version

VERDICTS = ("supported", "overstated", "understated", "contradicted", "not_checkable")
VERDICT_COLOURS = {
    "supported": "#1b7837",  # green
    "overstated": "#e08214",  # orange
    "understated": "#8073ac",  # purple
    "contradicted": "#b2182b",  # red
    "not_checkable": "#7f7f7f",  # grey
}
COMPARATOR_WORDS = {
    "over": "over",
    "at_least": "at least",
    "under": "under",
    "at_most": "at most",
    "about": "about",
    "nearly": "nearly",
    "exactly": "exactly",
    "rank_at_most": "among the top",
}
UNIT_WORDS = {
    "lb": "lb",
    "pills": "pills",
    "deaths": "deaths",
    "encounters": "encounters",
    "rank": "",
    "per_100k": "per 100,000",
}


@dataclass(frozen=True)
class Rules:
    tolerance: float = 0.10  # how far a claim may miss and still be over/understated
    about: float = 0.05  # band within which "about" is supported


DEFAULT_RULES = Rules()


class ClaimError(ValueError):
    pass


# Release month (YYYY-MM) of source files whose release is documented and later than the
# month after their vintage (see data/sources.json and each PROVENANCE.md).
RELEASED = {
    "nchs_final_annual_us": "2024-12",  # NCHS Data Brief 522 (final 2023 data), December 2024
    "cbp_encounters_aor_fy20_fy24": "2024-10",  # row-bound with CBP's fy21-fy24 AOR file, Oct 2024
}


def released(source_id: str, vintage: str) -> str:
    """Release month (YYYY-MM) of a file: documented, else the earliest possible one."""
    if source_id in RELEASED:
        return RELEASED[source_id]
    v = str(vintage or "")
    if len(v) >= 10:  # a dated vintage (YYYY-MM-DD): the figures as of that day
        return v[:7]
    if len(v) == 7 and v[4] == "-":
        y, m = int(v[:4]), int(v[5:]) + 1
        return f"{y + (m > 12):04d}-{(m - 1) % 12 + 1:02d}"
    return ""


def first_published(table: str, basis: str, y1: int, filters: dict[str, list[str]]) -> str:
    """Roughly when figures for a period ending in year `y1` were first published (YYYY-MM), by the
    usual lag of each series: final NCHS deaths in December of the next year; VSRR 12-month
    counts about 4 months after the period; CBP monthly files the month after. '' if unknown."""
    if table == "overdose_deaths":
        if "provisional" in filters.get("status", []):
            # VSRR: the 12 months ending a month come out about five months later (December's
            # in mid-May of the next year)
            m = _month(filters)
            y, m = (y1, m + 5) if m + 5 <= 12 else (y1 + 1, m + 5 - 12)
            return f"{y:04d}-{m:02d}"
        return f"{y1 + 1:04d}-12"
    if table in ("encounters", "encounters_by_state") or (
        table == "seizures" and filters.get("agency", ["CBP"]) == ["CBP"]
    ):
        return f"{y1:04d}-10" if basis == "fiscal" else f"{y1 + 1:04d}-01"
    return ""


def vintage_info(vintages, article_date: str | None) -> dict:
    """Which data vintages a check used, when they were released, and whether after the article."""
    pairs = sorted(set(vintages))
    rel = [released(s, v) for s, v in pairs]
    latest = max((r for r in rel if r), default="")
    month = str(article_date or "")[:7]
    return {
        "data_vintage": "; ".join(f"{s}@{v}" for s, v in pairs),
        "data_released": latest,
        "published_after_article": bool(month and latest and latest > month),
    }


def parse_filters(text: str) -> dict[str, list[str]]:
    return query.group_pairs(query.parse_pairs(text or "", error=ClaimError))


def parse_variants(text: str) -> list[tuple[str, dict[str, list[str]]]]:
    out = []
    for part in (text or "").split("||"):
        part = part.strip()
        if not part:
            continue
        label, _, spec = part.partition(":")
        out.append((label.strip(), parse_filters(spec)))
    return out


def compare(
    data: float, claimed: float, comparator: str, rules: Rules = DEFAULT_RULES
) -> tuple[str, str]:
    """(verdict, reason) for a data value against a claimed value."""
    if comparator == "rank_at_most":
        ok = data <= claimed
        return (
            "supported" if ok else "contradicted",
            f"rank {data:.0f} {'within' if ok else 'outside'} the top {claimed:.0f}",
        )
    if claimed == 0 or data is None or pd.isna(data):
        return "not_checkable", "no comparable value"
    diff = (data - claimed) / claimed  # + data above the claim
    pct = f"{abs(diff) * 100:.1f}%"
    if comparator in ("over", "at_least"):
        if data >= claimed:
            return "supported", f"the data are {pct} above the claimed floor"
        return (
            "overstated" if -diff <= rules.tolerance else "contradicted"
        ), f"the data fall {pct} short of the claim"
    if comparator in ("under", "at_most"):
        if data <= claimed:
            return "supported", f"the data are {pct} below the claimed ceiling"
        return (
            "understated" if diff <= rules.tolerance else "contradicted"
        ), f"the data exceed the claim by {pct}"
    if comparator == "nearly":
        if claimed * (1 - rules.tolerance) <= data <= claimed * (1 + rules.about):
            return (
                "supported",
                f"the data are within {rules.tolerance * 100:.0f}% below the claim ({pct} {'above' if diff > 0 else 'below'})",
            )
        if data > claimed:
            return (
                "understated" if diff <= rules.tolerance else "contradicted"
            ), f"the data exceed the claim by {pct}"
        return (
            "overstated" if -diff <= 2 * rules.tolerance else "contradicted"
        ), f"the data fall {pct} short of the claim"
    if comparator == "exactly" and abs(diff) <= 0.005:
        return "supported", f"the claim matches the data within 0.5% ({pct})"
    if comparator in ("about", "exactly"):
        rel = (claimed - data) / data if data else float("inf")
        if abs(rel) <= rules.about and comparator == "about":
            return (
                "supported",
                f"the claim is within {rules.about * 100:.0f}% of the data ({abs(rel) * 100:.1f}%)",
            )
        if abs(rel) <= rules.tolerance:
            return (
                "overstated" if rel > 0 else "understated"
            ), f"the claim is {abs(rel) * 100:.1f}% {'above' if rel > 0 else 'below'} the data"
        return (
            "contradicted",
            f"the claim is {abs(rel) * 100:.1f}% {'above' if rel > 0 else 'below'} the data",
        )
    raise ClaimError(f"unknown comparator {comparator!r}; use one of {', '.join(COMPARATOR_WORDS)}")


def _fmt(v: float, unit: str = "") -> str:
    if v is None or pd.isna(v):
        return "n/a"
    text = f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.1f}"
    u = UNIT_WORDS.get(unit, unit)
    return f"{text} {u}".strip()


@dataclass
class Check:
    value: float | None
    period: str
    status: str
    detail: str
    problem: str = ""
    vintages: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@functools.lru_cache(maxsize=32)
def _load_object(root: str, name: str, number: int, sha: str) -> pd.DataFrame:
    store = Store(root)
    return store.load(name, store.version(number))


def _load(name: str, store: Store | None, version: Version | None) -> pd.DataFrame:
    if version is None:
        return query.load(name, store)
    store = store or Store()
    meta = version.tables.get(name)
    if meta is None:
        return contract.empty(name)
    return _load_object(str(store.root), name, version.number, meta["sha256"])


def _vintages(df: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    if "source_id" not in df or df.empty:
        return ()
    pairs = df[["source_id", "vintage"]].astype(str).drop_duplicates()
    return tuple(sorted(map(tuple, pairs.to_numpy().tolist())))


def _month(filters: dict[str, list[str]]) -> int:
    """The month a 12-month-ending period ends in (`month=N` among the filters; December if
    none or unreadable)."""
    try:
        m = int(str((filters.get("month") or ["12"])[0]))
    except ValueError:
        return 12
    return m if 1 <= m <= 12 else 12


def _period_label(basis: str, y0: int, y1: int, month: int = 12) -> str:
    fmt = (lambda y: f"FY{y}") if basis == "fiscal" else (lambda y: f"{y}")
    prefix = f"12 months ending {calendar.month_abbr[month]} " if basis == "12_month_ending" else ""
    return prefix + (fmt(y0) if y0 == y1 else f"{fmt(y0)}-{fmt(y1)}")


def measure_data(
    claim: dict,
    filters: dict[str, list[str]],
    store: Store | None = None,
    version: Version | None = None,
) -> Check:
    """The data value a claim is compared with (from `version` of the store, default current)."""
    filters = {k: list(v) for k, v in filters.items()}
    name = claim["table"]
    measure = filters.pop("measure", [claim["measure"]])[0]
    y0 = int(filters.pop("year_start", [claim["year_start"]])[0])
    y1 = int(filters.pop("year_end", [claim["year_end"]])[0])
    basis = claim["year_basis"] or "calendar"
    if name not in contract.DATA_TABLES:
        return Check(None, "", "", "", f"no bundled table {name!r} holds these data")
    query.check_columns(name, list(filters) + [measure])
    df = query.filter_rows(_load(name, store, version), filters)
    ycol = "fiscal_year" if basis == "fiscal" else "year"
    df = df[df[ycol].between(y0, y1)]
    period = _period_label(basis, y0, y1, _month(filters))
    one_month = "month" in filters and name != "overdose_deaths"  # "in December 2023"
    if one_month and y0 == y1 and basis == "calendar":
        period = f"{calendar.month_abbr[_month(filters)]} {y1}"
    ytd_note = ""
    if "as_of" in df and "coverage" in df and df["coverage"].eq("year_to_date").any():
        df, ytd_note = latest_year_to_date(df, ycol, claim.get("article_date"))
        if df.empty:
            return Check(None, period, "", "", ytd_note)
    if df.empty or df[measure].isna().all():
        return Check(
            None, period, "", "", f"the data hold no {measure} for {period} with these filters"
        )
    have = set(df.loc[df[measure].notna(), ycol].astype(int))
    missing = [y for y in range(y0, y1 + 1) if y not in have]
    if missing:
        return Check(
            None, period, "", "", f"the data lack {', '.join(map(str, missing))} (of {period})"
        )
    if (
        "month" in df
        and df["month"].notna().any()
        and basis in ("calendar", "fiscal")
        and name != "overdose_deaths"
        and not one_month  # a month's claim needs that month only (held: checked above)
    ):
        months = df.groupby(ycol)["month"].nunique()
        partial = [str(y) for y, n in months.items() if n < 12]
        if partial:
            return Check(
                None,
                period,
                "",
                "",
                f"{', '.join(partial)} is not complete in the data (partial year)",
            )
    status_bits = []
    if "status" in df:
        status_bits.append("/".join(sorted(df["status"].unique())))
    if measure == "deaths_predicted":
        status_bits.append("predicted")
    elif measure == "deaths":
        status_bits.append("reported")
    if "qualifier" in df and df["qualifier"].ne("").any():
        status_bits.append(
            "published as '"
            + "/".join(sorted(df.loc[df.qualifier.ne(""), "qualifier"].unique()))
            + "'"
        )
    if claim["comparator"] == "rank_at_most":
        geo = filters.get("geo", [""])[0]
        others = {k: v for k, v in filters.items() if k != "geo"}
        allg = query.filter_rows(_load(name, store, version), others)
        allg = allg[allg[ycol].between(y0, y1) & allg["geo"].isin(contract.STATE_CODES)]
        per = allg.groupby("geo")[measure].sum(min_count=1).dropna().sort_values(ascending=False)
        if geo not in per.index:
            return Check(None, period, "", "", f"no {measure} for {geo} in {period}")
        rank = int(per.index.get_loc(geo)) + 1
        detail = f"{contract.GEO_NAMES.get(geo, geo)} ranks {rank} of {len(per)} (value {per[geo]:,.1f}; highest {contract.GEO_NAMES.get(per.index[0])} {per.iloc[0]:,.1f})"
        return Check(float(rank), period, ", ".join(status_bits), detail, vintages=_vintages(allg))
    if ytd_note:
        status_bits.append(ytd_note)
    value = float(df[measure].sum())
    return Check(value, period, ", ".join(status_bits), "", vintages=_vintages(df))


def latest_year_to_date(df: pd.DataFrame, ycol: str, article_date) -> tuple[pd.DataFrame, str]:
    """Year-to-date figures of one year are cumulative: keep, per year, the latest one published
    by the article's date (the latest of all when the date is unknown), never their sum."""
    ytd = df["coverage"].eq("year_to_date")
    date = str(article_date or "")
    cutoff = None
    if len(date) >= 7:
        cutoff = pd.Timestamp(date[:10] if len(date) >= 10 else date[:7] + "-01")
        if len(date) < 10:
            cutoff = cutoff + pd.offsets.MonthEnd(0)
    keep = ~ytd
    notes = []
    for _year, g in df[ytd].groupby(ycol):
        dates = g["as_of"].dropna()
        usable = dates[dates <= cutoff] if cutoff is not None else dates
        if usable.empty:
            first = dates.min()
            note = "no year-to-date figure published by the article's date" + (
                f" (the first is as of {first:%Y-%m-%d})" if pd.notna(first) else ""
            )
            return df.iloc[0:0], note
        chosen = usable.max()
        keep |= ytd & df.index.isin(g.index[g["as_of"] == chosen])
        notes.append(f"year to date as of {chosen:%Y-%m-%d}")
    return df[keep], "; ".join(notes)


TABLE_WORDS = {
    "overdose_deaths": "CDC/NCHS overdose deaths",
    "seizures": "drug seizures",
    "encounters": "CBP encounters",
    "encounters_by_state": "CBP encounters by state",
}
SERIES_WORDS = {
    "cbp_nationwide": "ports of entry + Border Patrol",
    "cbp_amo": "Air and Marine Operations",
}


def describe_filters(filters: dict[str, list[str]]) -> str:
    """A claim's filters in words: 'United States, all drugs, final counts'."""
    parts = []
    for k, vals in filters.items():
        if k in ("measure", "year_start", "year_end", "period_type", "unit"):
            continue
        if k == "geo":
            words = [contract.GEO_NAMES.get(v, v) for v in vals]
        elif k == "drug":
            words = [
                contract.DEATH_DRUGS.get(v, contract.SEIZURE_DRUGS.get(v, v)).split(" (")[0].lower()
                for v in vals
            ]
        elif k == "status":
            words = [f"{'/'.join(vals)} counts"]
        elif k == "series":
            if "component" in filters and vals == ["cbp_nationwide"]:
                continue  # the component says which part of the nationwide file
            words = [SERIES_WORDS.get(v, v.replace("_", " ")) for v in vals]
        elif k == "citizenship":
            words = ["citizens of " + v.split(",")[0].title() for v in vals]
        elif k == "coverage":
            words = [v.replace("_", " ") for v in vals]
        elif k in ("component", "agency"):
            words = [contract.COMPONENT_SHORT.get(v, v) for v in vals]
        else:
            words = [f"{k.replace('_', ' ')} {'/'.join(vals)}"]
        parts.append(" + ".join(words))
    return ", ".join(p for p in parts if p)


def _at_publication(
    claim: dict, filters: dict[str, list[str]], store: Store | None, rules: Rules
) -> dict | None:
    """The check on the latest earlier store version whose figures were out by the article's date."""
    st = store or Store()
    try:
        older = st.history()[1:]
    except StoreError:
        return None
    for v in older:
        try:
            chk = measure_data(claim, filters, st, version=v)
        except (StoreError, ClaimError, query.QueryError, KeyError, ValueError):
            continue
        info = vintage_info(chk.vintages, claim.get("article_date"))
        if chk.value is None or info["published_after_article"] or not info["data_released"]:
            continue
        verdict, reason = compare(
            chk.value, float(claim["claimed_value"]), claim["comparator"], rules
        )
        return {
            "store_version": v.number,
            "data_value": chk.value,
            "verdict": verdict,
            "reason": reason,
            "data_vintage": info["data_vintage"],
            "data_released": info["data_released"],
        }
    return None


def _not_comparable(claim_filters: dict[str, list[str]], variant: dict[str, list[str]]) -> str:
    """Why a variant cannot stand for the claim (year to date vs full year), or ''."""
    if "coverage" not in variant:
        return ""
    mine = set(claim_filters.get("coverage", []))
    theirs = set(variant["coverage"])
    if mine != theirs and "year_to_date" in (mine | theirs):
        return "not comparable: a full-year figure against a year-to-date one"
    return ""


def _period_info(
    claim: dict, filters: dict[str, list[str]], vintage: dict, article_date: str
) -> dict:
    """When figures for the claim's period first came out, and whether by the article's date."""
    y1 = int(filters.get("year_end", [claim["year_end"]])[0])
    fp = first_published(claim["table"], claim.get("year_basis") or "calendar", y1, filters)
    month = article_date[:7]
    by = None if not (fp and month) else fp <= month
    if vintage.get("data_released") and month and vintage["data_released"] <= month:
        by = True  # the release compared was itself out by then
    return {"period_first_published": fp, "period_published_by_article": by}


def _vintage_text(info: dict, at_pub: dict | None, unit: str, article_date: str) -> str:
    if not info["data_vintage"]:
        return ""
    documented = all(x.split("@")[0] in RELEASED for x in info["data_vintage"].split("; "))
    when = info["data_released"] or "n/a"
    text = f" Data compared: {manifest.vintage_words(info['data_vintage'])}, released {when}{'' if documented else ' at the earliest'}"
    if not info["published_after_article"]:
        return text + "."
    text += f", after the article ({article_date})."
    fp, by = info.get("period_first_published"), info.get("period_published_by_article")
    if fp and by is False:
        text += f" Figures for this period were first published about {fp}: they did not exist when the article appeared."
    elif fp and by:
        text += f" Figures for this period were first published about {fp}, before the article, possibly revised since."
    if at_pub:
        text += (
            f" At publication (store version {at_pub['store_version']}, {at_pub['data_vintage']}): "
            f"{_fmt(at_pub['data_value'], unit)}, {at_pub['verdict'].replace('_', ' ')}."
        )
    else:
        text += " No earlier vintage is stored, so the verdict as of publication is not computed."
    return text


def evaluate(claim: dict, store: Store | None = None, rules: Rules = DEFAULT_RULES) -> dict:
    """Verdict, data value, data vintage and explanation for one claim row."""
    out = {
        "data_value": None,
        "verdict": "",
        "explanation": "",
        "data_period": "",
        "data_status": "",
        "depends_on_choice": False,
        "variant_results": [],
        "data_vintage": "",
        "data_released": "",
        "published_after_article": False,
        "period_first_published": "",
        "period_published_by_article": None,
        "at_publication": None,
    }
    if claim["kind"] == "event":
        out["explanation"] = f"Dated event: {claim['event_date']}" + (
            f" to {claim['event_end']}" if claim.get("event_end") else ""
        )
        return out
    claimed = claim.get("claimed_value")
    unit = claim.get("unit", "")
    article_date = str(claim.get("article_date") or "")
    claim_text = f"Claim: {COMPARATOR_WORDS.get(claim['comparator'], claim['comparator'])} {_fmt(claimed, unit)}."
    if not claim.get("table"):
        out["verdict"] = "not_checkable"
        out["explanation"] = (
            f"Not checkable with the bundled data: {claim.get('note') or 'no data source'}"
        )
        return out
    try:
        filters = parse_filters(claim["filters"])
        chk = measure_data(claim, filters, store)
    except (ClaimError, query.QueryError, KeyError, ValueError) as exc:
        out["verdict"] = "not_checkable"
        out["explanation"] = f"The claim's spec cannot be evaluated: {exc}"
        return out
    out["data_period"], out["data_status"] = chk.period, chk.status
    if chk.value is None:
        verdict = "not_checkable"
        out["verdict"] = verdict
        out["explanation"] = f"Not checkable: {chk.problem}. {claim_text}" + (
            f" {claim['note']}" if claim.get("note") else ""
        )
    else:
        verdict, reason = compare(chk.value, float(claimed), claim["comparator"], rules)
        out["data_value"], out["verdict"] = chk.value, verdict
        info = vintage_info(chk.vintages, article_date)
        info.update(_period_info(claim, filters, info, article_date))
        out.update(info)
        if info["published_after_article"]:
            out["at_publication"] = _at_publication(claim, filters, store, rules)
        what = describe_filters(filters)
        data_text = chk.detail or _fmt(chk.value, unit)
        out["explanation"] = (
            f"Data: {data_text} ({TABLE_WORDS.get(claim['table'], claim['table'])}, {chk.period}{', ' + what if what else ''}"
            f"{'; ' + chk.status if chk.status else ''}). {claim_text} {verdict.replace('_', ' ').capitalize()}: {reason}."
            + _vintage_text(info, out["at_publication"], unit, article_date)
        )
    for label, vf in parse_variants(claim.get("variants", "")):
        merged = {**filters, **vf}
        try:
            v = measure_data(claim, merged, store)
        except (ClaimError, query.QueryError, KeyError, ValueError) as exc:
            out["variant_results"].append(
                {"label": label, "data_value": None, "verdict": "not_checkable", "reason": str(exc)}
            )
            continue
        if v.value is None:
            out["variant_results"].append(
                {
                    "label": label,
                    "data_value": None,
                    "verdict": "not_checkable",
                    "reason": v.problem,
                }
            )
            continue
        info = vintage_info(v.vintages, article_date)
        info.update(_period_info(claim, merged, info, article_date))
        why_not = _not_comparable(filters, vf)
        if why_not:
            vv, vr = "not_checkable", why_not
        else:
            vv, vr = compare(v.value, float(claimed), claim["comparator"], rules)
        out["variant_results"].append(
            {
                "label": label,
                "data_value": v.value,
                "verdict": vv,
                "reason": vr,
                "period": v.period,
                "status": v.status,
                "comparable": not why_not,
                **info,
                "at_publication": (
                    _at_publication(claim, merged, store, rules)
                    if info["published_after_article"] and not why_not
                    else None
                ),
            }
        )
    context = [v for v in out["variant_results"] if v.get("comparable") is False]
    differing = [
        v
        for v in out["variant_results"]
        if v["verdict"] != verdict and v["data_value"] is not None and v.get("comparable", True)
    ]

    def after(v: dict) -> str:
        return ", data published after the article" if v.get("published_after_article") else ""

    if context:
        out["explanation"] += (
            " For context only (not comparable: full year against year to date): "
            + "; ".join(f"{v['label']} gives {_fmt(v['data_value'], unit)}" for v in context)
            + "."
        )
    if differing and verdict == "not_checkable":
        out["explanation"] += (
            " For context only: "
            + "; ".join(f"{v['label']} gives {_fmt(v['data_value'], unit)}" for v in differing)
            + "."
        )
    elif differing:
        out["depends_on_choice"] = True
        out["explanation"] += (
            " The verdict depends on a choice: "
            + "; ".join(
                f"{v['label']} gives {_fmt(v['data_value'], unit)} ({v['verdict'].replace('_', ' ')}{after(v)})"
                for v in differing
            )
            + "."
        )
    return out


def load_claims(store: Store | None = None) -> pd.DataFrame:
    return query.load("claims", store)


def claim_dict(row: pd.Series) -> dict:
    d = {k: (None if (not isinstance(v, str) and pd.isna(v)) else v) for k, v in row.items()}
    d.setdefault("variants", "")
    return d


def evaluate_all(
    store: Store | None = None, rules: Rules = DEFAULT_RULES, article: str | None = None
) -> pd.DataFrame:
    """Every claim with its verdict (one row per claim)."""
    df = load_claims(store)
    if article:
        df = df[df["article_id"] == article]
    rows = []
    for _, r in df.iterrows():
        c = claim_dict(r)
        rows.append({**c, **evaluate(c, store, rules)})
    cols = list(df.columns) + [
        "data_value",
        "verdict",
        "explanation",
        "data_period",
        "data_status",
        "depends_on_choice",
        "variant_results",
        "data_vintage",
        "data_released",
        "published_after_article",
        "period_first_published",
        "period_published_by_article",
        "at_publication",
    ]
    return pd.DataFrame(rows, columns=cols)


def event_numbers(events: list[dict]) -> dict[tuple[str, str], int]:
    """The number of each dated event of an article, {(article_id, claim_id): n}: 1, 2, ... in
    date order (then by id) among all of its events with a valid date, so that an event has the
    same number on every chart of every page and in the claims page's table."""
    dated = []
    for e in events:
        try:
            d = dt.date.fromisoformat(str(e.get("event_date") or "")[:10])
        except ValueError:
            continue
        dated.append((str(e.get("article_id") or ""), d, str(e.get("claim_id") or "")))
    out: dict[tuple[str, str], int] = {}
    count: dict[str, int] = {}
    for art, _, cid in sorted(dated):
        count[art] = count.get(art, 0) + 1
        out[(art, cid)] = count[art]
    return out


def summary(evaluated: pd.DataFrame) -> dict[str, int]:
    q = evaluated[evaluated["kind"] == "quantitative"]
    counts = {v: int((q["verdict"] == v).sum()) for v in VERDICTS}
    counts["claims"] = len(q)
    counts["events"] = int((evaluated["kind"] == "event").sum())
    return counts
