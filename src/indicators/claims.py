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
- rank_at_most (e.g. "among the highest"): the rank of the filtered geography among the 50
  states and DC is at most the claimed value -> supported, else contradicted.
- No data for the whole period (or no table for the claim) -> not_checkable, with why.

`variants` (`label: col=value;... || label: ...`) re-run the check with other choices
(final vs provisional, reported vs predicted, which agencies count, another year span). When
a variant's verdict differs, the explanation says that the answer depends on that choice.
Pseudo-filters in variants: `measure=`, `year_start=`, `year_end=`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import contract, query
from .store import Store

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


def parse_filters(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ClaimError(f"filter {part!r} is not COL=VALUE")
        k, v = part.split("=", 1)
        out.setdefault(k.strip(), []).append(v.strip())
    return out


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
    if comparator == "about":
        rel = (claimed - data) / data if data else float("inf")
        if abs(rel) <= rules.about:
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


def _period_label(basis: str, y0: int, y1: int) -> str:
    fmt = (lambda y: f"FY{y}") if basis == "fiscal" else (lambda y: f"{y}")
    prefix = "12 months ending Dec " if basis == "12_month_ending" else ""
    return prefix + (fmt(y0) if y0 == y1 else f"{fmt(y0)}-{fmt(y1)}")


def measure_data(claim: dict, filters: dict[str, list[str]], store: Store | None = None) -> Check:
    """The data value a claim is compared with."""
    filters = {k: list(v) for k, v in filters.items()}
    name = claim["table"]
    measure = filters.pop("measure", [claim["measure"]])[0]
    y0 = int(filters.pop("year_start", [claim["year_start"]])[0])
    y1 = int(filters.pop("year_end", [claim["year_end"]])[0])
    basis = claim["year_basis"] or "calendar"
    if name not in contract.DATA_TABLES:
        return Check(None, "", "", "", f"no bundled table {name!r} holds these data")
    query.check_columns(name, list(filters) + [measure])
    df = query.filter_rows(query.load(name, store), filters)
    ycol = "fiscal_year" if basis == "fiscal" else "year"
    df = df[df[ycol].between(y0, y1)]
    period = _period_label(basis, y0, y1)
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
        allg = query.filter_rows(query.load(name, store), others)
        allg = allg[allg[ycol].between(y0, y1) & allg["geo"].isin(contract.STATE_CODES)]
        per = allg.groupby("geo")[measure].sum(min_count=1).dropna().sort_values(ascending=False)
        if geo not in per.index:
            return Check(None, period, "", "", f"no {measure} for {geo} in {period}")
        rank = int(per.index.get_loc(geo)) + 1
        detail = f"{contract.GEO_NAMES.get(geo, geo)} ranks {rank} of {len(per)} (value {per[geo]:,.1f}; highest {contract.GEO_NAMES.get(per.index[0])} {per.iloc[0]:,.1f})"
        return Check(float(rank), period, ", ".join(status_bits), detail)
    value = float(df[measure].sum())
    return Check(value, period, ", ".join(status_bits), "")


def describe_filters(filters: dict[str, list[str]]) -> str:
    parts = []
    for k, vals in filters.items():
        if k in ("measure", "year_start", "year_end"):
            continue
        vals = [contract.COMPONENT_SHORT.get(v, v) for v in vals]
        parts.append(
            " + ".join(vals)
            if k in ("component", "agency", "drug", "citizenship", "geo")
            else f"{k} {'/'.join(vals)}"
        )
    return ", ".join(p for p in parts if p)


def evaluate(claim: dict, store: Store | None = None, rules: Rules = DEFAULT_RULES) -> dict:
    """Verdict, data value and explanation for one claim row."""
    out = {
        "data_value": None,
        "verdict": "",
        "explanation": "",
        "data_period": "",
        "data_status": "",
        "depends_on_choice": False,
        "variant_results": [],
    }
    if claim["kind"] == "event":
        out["explanation"] = f"Dated event: {claim['event_date']}" + (
            f" to {claim['event_end']}" if claim.get("event_end") else ""
        )
        return out
    claimed = claim.get("claimed_value")
    unit = claim.get("unit", "")
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
        what = describe_filters(filters)
        data_text = chk.detail or _fmt(chk.value, unit)
        out["explanation"] = (
            f"Data: {data_text} ({claim['table']}, {chk.period}{', ' + what if what else ''}"
            f"{'; ' + chk.status if chk.status else ''}). {claim_text} {verdict.replace('_', ' ').capitalize()}: {reason}."
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
        vv, vr = compare(v.value, float(claimed), claim["comparator"], rules)
        out["variant_results"].append(
            {
                "label": label,
                "data_value": v.value,
                "verdict": vv,
                "reason": vr,
                "period": v.period,
                "status": v.status,
            }
        )
    differing = [
        v for v in out["variant_results"] if v["verdict"] != verdict and v["data_value"] is not None
    ]
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
                f"{v['label']} gives {_fmt(v['data_value'], unit)} ({v['verdict'].replace('_', ' ')})"
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
    ]
    return pd.DataFrame(rows, columns=cols)


def summary(evaluated: pd.DataFrame) -> dict[str, int]:
    q = evaluated[evaluated["kind"] == "quantitative"]
    counts = {v: int((q["verdict"] == v).sum()) for v in VERDICTS}
    counts["claims"] = len(q)
    counts["events"] = int((evaluated["kind"] == "event").sum())
    return counts
