"""The overview's index chart: deaths, CBP fentanyl seizures and encounters on one index."""

from __future__ import annotations

import pandas as pd

from .. import contract, query, series
from ..filters import Filters
from ..store import Store
from .provenance import ids
from .render import View
from .words import and_list, filters_text, in_years

LABELS = {
    "ind:deaths": "Overdose deaths (CDC, provisional 12-month counts)",
    "ind:seizures": "CBP fentanyl seizures (lb)",
    "ind:encounters": "CBP encounters (ports of entry + Border Patrol)",
}


def _title(order: list[str]) -> str:
    words = {
        "ind:deaths": "Overdose deaths",
        "ind:seizures": "fentanyl seizures",
        "ind:encounters": "border encounters",
    }
    names = [words[k] for k in order]
    if not names:
        return "Deaths, seizures and encounters, indexed"
    text = and_list(names)
    return text[0].upper() + text[1:] + ", indexed"


def index(f: Filters, store: Store | None) -> View:
    """Each indicator / its base-year value x 100. Follows the agency filter: deaths need CDC,
    seizures and encounters the CBP components selected (OFO and/or USBP)."""
    parts, notes, missing = [], [], []
    sources: dict[str, list[str]] = {}  # per indicator: only the drawn ones' files are named
    comps = [c for c in f.components if c != "Air and Marine Operations"]
    comps_both = set(comps) == {"Office of Field Operations", "U.S. Border Patrol"}
    short = " + ".join(contract.COMPONENT_PLAIN[c] for c in comps)
    if "CDC" in f.agencies:
        od = query.load("overdose_deaths", store)
        month = 9 if f.basis == "fiscal" else 12
        d = od[
            (od.geo == "US")
            & (od.drug == "all_drugs")
            & (od.status == "provisional")
            & (od.month == month)
        ]
        parts.append(
            pd.DataFrame(
                {
                    "x": d.year.astype(int),
                    "series": "ind:deaths",
                    "value": d.deaths.astype(float),
                    "partial": False,
                    "span": "",
                }
            )
        )
        sources["ind:deaths"] = ids(
            d[d.year.between(f.year_from, f.year_to)]
        )  # the files of the years drawn
    else:
        missing.append("overdose deaths (CDC not selected)")
    if comps:
        ff = f.with_(
            agencies=tuple(a for a in f.agencies if a in ("OFO", "USBP")),
            measure="quantity",
            region="",
        )
        s = series.seizures_by_year(ff, "component", store, ["fentanyl"])
        if len(s):
            g = (
                s.groupby("year")
                .agg(
                    value=("quantity", "sum"),
                    partial=("partial", "any"),
                    span=("months_label", "first"),
                )
                .reset_index()
            )
            parts.append(
                pd.DataFrame(
                    {
                        "x": g.year,
                        "series": "ind:seizures",
                        "value": g.value.astype(float),
                        "partial": g.partial,
                        "span": g.span.fillna(""),
                    }
                )
            )
            sources["ind:seizures"] = ids(in_years(series.cbp_seizures(ff, store, ["fentanyl"]), f))
        if comps_both:
            e = series.encounters_total_by_state_table(f.with_(region=""), store)
            if len(e):
                parts.append(
                    pd.DataFrame(
                        {
                            "x": e.year,
                            "series": "ind:encounters",
                            "value": e.encounters.astype(float),
                            "partial": e.partial,
                            "span": e.months_label.fillna(""),
                        }
                    )
                )
                sources["ind:encounters"] = ids(
                    in_years(query.load("encounters_by_state", store), f)
                )
        else:
            missing.append(
                "CBP encounters (CBP's encounters by state have no split by component: select both ports of entry and Border Patrol)"
            )
    else:
        missing.append(
            "CBP seizures and encounters (neither ports of entry nor Border Patrol selected)"
        )
    df = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["x", "series", "value", "partial", "span"])
    )
    # the indicators the filters ask for: one without a figure in the years chosen is named
    asked = {
        "ind:deaths": "CDC" in f.agencies,
        "ind:seizures": bool(comps),
        "ind:encounters": comps_both,
    }
    df = df[df.x.between(f.year_from, f.year_to)]
    for k in LABELS:
        if asked[k] and k not in set(df.series):
            missing.append(f"{LABELS[k].split(' (')[0]} (no figures in {f.range_label()})")
    base = df[(df.x == f.base_year) & ~df.partial.astype(bool)].set_index("series")["value"]
    outside = not f.year_from <= f.base_year <= f.year_to
    if outside and len(df):  # one reason for every series, said once, with the way out
        missing.append(
            f"the base year {f.year_label(f.base_year)} is outside the years chosen ({f.range_label()}): "
            "choose a base year within them, or widen the years"
        )
    for k in list(dict.fromkeys(df.series)) if not outside else []:
        if k not in base.index:
            missing.append(
                f"{LABELS[k].split(' (')[0]} (no full-year value for the base year {f.year_label(f.base_year)})"
            )
    df = df[df.series.isin(base.index)].copy()
    df["raw"] = df["value"]
    df["value"] = df["value"].astype(float) / df["series"].map(base.to_dict()).astype(float) * 100
    partial = df[df.partial.astype(bool)]
    if len(partial):  # drawn, a few months' total would read as a collapse beside full years
        notes.append(
            "Not drawn: partial years, which hold only some months: "
            + "; ".join(
                f"{LABELS[k].split(' (')[0]} {f.year_label(int(x))} ({sp})"
                for k, x, sp in zip(partial.series, partial.x, partial.span, strict=True)
            )
            + "."
        )
    drawn_series = set(df.series[~df.partial.astype(bool)])
    about = ([f"Deaths: 12-month counts ending {'September' if f.basis == 'fiscal' else 'December'}."] if "ind:deaths" in drawn_series else []) + (
        ["Encounters: totals of CBP's nationwide encounters by state."] if "ind:encounters" in drawn_series else [])  # fmt: skip
    if about:
        notes.append(" ".join(about))
    if missing and (~df.partial.astype(bool)).any():  # (nothing drawn: the plot says why)
        notes.append("Not drawn: " + "; ".join(missing) + ".")
    order = [k for k in LABELS if k in set(df.series)]
    data = df.rename(
        columns={"x": "year", "series": "indicator", "value": "index", "raw": "value"}
    )[["indicator", "year", "value", "index", "partial"]]
    data["indicator"] = data["indicator"].map(LABELS)
    data["index"] = data["index"].round(1).where(~data["partial"].astype(bool))  # no index
    drawn = df[~df.partial.astype(bool)]
    return View(
        drawn[["x", "series", "value", "partial", "span"]].assign(style="line"), "lines",
        _title(order),
        filters_text(f, f"index: {f.year_label(f.base_year)} = 100" + (f" · CBP {short}" if drawn_series & {"ind:seizures", "ind:encounters"} else "")),
        "", f"Index ({f.year_label(f.base_year)} = 100)", basis=f.basis, labels=LABELS, order=order, sources=sorted({i for k in drawn_series for i in sources.get(k, [])}),
        notes=notes, data=data, topic="", stacked=False, zero_based=False, hline=100.0, decimals=1,
        empty="" if len(drawn) else "Nothing to index for this selection: " + "; ".join(missing or ["no data in the years chosen"]) + ".",
    )  # fmt: skip
