"""Figures that explain themselves: one theme, partial years marked, sources inside the figure,
and the article's claims and events overlaid (escaped: claim text never runs as HTML).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from .claims import COMPARATOR_WORDS, VERDICT_COLOURS

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
AGENCY_COLOURS = {
    "CDC/NCHS": "#0072B2",
    "Office of Field Operations": "#E69F00",
    "U.S. Border Patrol": "#009E73",
    "Air and Marine Operations": "#56B4E9",
    "DEA": "#D55E00",
    "HIDTA": "#CC79A7",
}
DRUG_COLOURS = {
    "fentanyl": "#D55E00", "synthetic_opioids": "#D55E00", "methamphetamine": "#0072B2",
    "psychostimulants": "#0072B2", "cocaine": "#009E73", "heroin": "#CC79A7", "marijuana": "#E69F00",
    "all_drugs": "#000000", "all_opioids": "#56B4E9", "natural_semisynthetic_opioids": "#F0E442",
    "methadone": "#999999", "ecstasy": "#56B4E9", "ketamine": "#F0E442", "khat": "#999999",
    "lsd": "#882255", "other_drugs": "#BBBBBB",
}  # fmt: skip
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass
class Chart:
    """A figure and exactly the numbers it displays."""

    name: str
    title: str
    fig: go.Figure
    data: pd.DataFrame
    subtitle: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    claims_shown: list[dict] = field(default_factory=list)


def esc(text: object, width: int = 70) -> str:
    """Escape user text for Plotly (which renders some HTML) and wrap it with <br>."""
    s = html.escape(str(text or ""), quote=True)
    return "<br>".join(textwrap.wrap(s, width)) if width else s


def colour(key: str, i: int = 0) -> str:
    return AGENCY_COLOURS.get(key) or DRUG_COLOURS.get(key) or OKABE_ITO[i % len(OKABE_ITO)]


def theme(fig: go.Figure, title: str, subtitle: str, source: str, notes: list[str] | None = None,
          y_title: str = "", x_title: str = "", present: bool = False, narrow: bool = False) -> go.Figure:  # fmt: skip
    """Title, subtitle, axis units, source line and notes inside the figure; solid background."""
    base = 20 if present else 14
    foot = [f"Source: {source}"] + (notes or [])
    foot_text = "<br>".join(esc(t, 60 if narrow else 150 if present else 130) for t in foot)
    n_lines = foot_text.count("<br>") + 1
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": FONT, "size": base, "color": "#222222"},
        title={
            "text": f"<b>{esc(title, 0)}</b>",
            "subtitle": {
                "text": esc(subtitle, 55 if narrow else 0),
                "font": {"size": base - 2, "color": "#555555"},
            },
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 0.985,
            "yanchor": "top",
        },
        margin={"l": 70, "r": 30, "t": 100 if not present else 120, "b": 90 + 18 * n_lines},
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "yanchor": "bottom",
            "y": 1.01,
            "x": 0,
            "font": {"size": base - 2},
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        hoverlabel={"font": {"family": FONT, "size": base - 1}, "align": "left"},
        height=620 if present else 520,
    )
    fig.update_yaxes(
        title_text=esc(y_title, 0), rangemode="tozero", gridcolor="#e5e5e5", tickformat=","
    )
    fig.update_xaxes(title_text=esc(x_title, 0), gridcolor="#f0f0f0")
    fig.add_annotation(
        text=foot_text, showarrow=False, xref="paper", yref="paper", x=0, xanchor="left",
        y=0, yshift=-60, yanchor="top", align="left", font={"size": base - 4, "color": "#555555"},
        name="source",
    )  # fmt: skip
    return fig


def year_axis(fig: go.Figure, years: list[int], basis: str) -> None:
    years = sorted({int(y) for y in years})
    if not years:
        return
    label = (lambda y: f"FY{y}") if basis == "fiscal" else str
    step = 1 if len(years) <= 14 else 2
    fig.update_xaxes(
        tickmode="array", tickvals=years[::step], ticktext=[label(y) for y in years[::step]],
        range=[years[0] - 0.6, years[-1] + 0.6],
    )  # fmt: skip


def bars_by_year(df: pd.DataFrame, group: str | None, value: str, unit: str, basis: str,
                 labels: dict[str, str] | None = None, stacked: bool = True) -> go.Figure:  # fmt: skip
    """Bars per year (and group). Partial years are hatched and say which months they hold."""
    fig = go.Figure()
    groups = [None] if not group else list(dict.fromkeys(df[group].tolist()))
    ylab = (lambda y: f"FY{y}") if basis == "fiscal" else str
    for i, g in enumerate(groups):
        d = df if g is None else df[df[group] == g]
        name = (labels or {}).get(g, g) if g is not None else value
        partial = (
            d["partial"].fillna(False).astype(bool).tolist() if "partial" in d else [False] * len(d)
        )
        months = d["months_label"].fillna("").tolist() if "months_label" in d else [""] * len(d)
        hover = [
            f"{esc(name, 0)}<br>{ylab(int(y))}: {v:,.{0 if abs(v) >= 100 else 1}f} {unit}"
            + (f"<br><i>partial year: {esc(m, 0)}</i>" if p else "")
            for y, v, p, m in zip(
                d["year"], d[value].astype(float).fillna(0), partial, months, strict=True
            )
        ]
        fig.add_bar(
            x=[int(y) for y in d["year"]],
            y=[None if pd.isna(v) else float(v) for v in d[value]],
            name=str(name),
            marker={
                "color": colour(str(g), i) if g is not None else OKABE_ITO[0],
                "pattern": {
                    "shape": ["/" if p else "" for p in partial],
                    "fillmode": "overlay",
                    "solidity": 0.4,
                },
                "opacity": 1,
                "line": {"width": [1.5 if p else 0 for p in partial], "color": "#333333"},
            },
            hovertext=hover,
            hoverinfo="text",
        )
    fig.update_layout(barmode="stack" if stacked else "group", bargap=0.2)
    year_axis(fig, df["year"].tolist(), basis)
    return fig


# --- claims and events -------------------------------------------------------------------


def _event_x(date: dt.date, x_mode: str, basis: str) -> float | str:
    if x_mode == "date":
        return date.isoformat()
    doy = date.timetuple().tm_yday
    if basis == "fiscal":
        start = dt.date(date.year if date.month >= 10 else date.year - 1, 10, 1)
        fy = start.year + 1
        return fy - 0.5 + (date - start).days / 365.25
    return date.year - 0.5 + (doy - 0.5) / 365.25


def _claim_x(claim: dict, x_mode: str, basis: str) -> float | str | None:
    y = claim.get("year_end")
    if y is None or pd.isna(y):
        return None
    y = int(y)
    cb = claim.get("year_basis") or "calendar"
    if x_mode == "date":
        if cb == "fiscal":
            return dt.date(y, 9, 30).isoformat()
        return dt.date(y, 12, 31).isoformat()
    if cb == basis or cb == "12_month_ending":
        return float(y)
    # A fiscal-year claim on a calendar axis (or the reverse): place it where its year ends.
    return float(y) - 0.25 if cb == "fiscal" else float(y) + 0.25


SYMBOLS = {
    "over": "triangle-up",
    "at_least": "triangle-up",
    "under": "triangle-down",
    "at_most": "triangle-down",
}


def _fits(claim_filters: str, context: dict[str, list[str]]) -> bool:
    from .claims import parse_filters

    try:
        cf = parse_filters(claim_filters)
    except ValueError:
        return False
    return all(not set(cf[k]).isdisjoint(v) for k, v in context.items() if k in cf)


def overlay_claims(fig: go.Figure, evaluated: pd.DataFrame | None, topic: str, x_mode: str, basis: str,
                   units: set[str] | None = None, present: bool = False,
                   context: dict[str, list[str]] | None = None, offsets: dict[str, float] | None = None) -> list[dict]:  # fmt: skip
    """Markers for quantitative claims about this chart's topic and unit; lines/spans for events.

    A claim is drawn only if its unit is one of `units`, it covers a single year, and its
    filters agree with the chart's `context` (e.g. the same drug). `offsets` shifts markers
    by the claim's component (grouped bars). Returns the claims drawn. Hover text is
    escaped; event labels are staggered so overlapping ones stay legible.
    """
    if evaluated is None or evaluated.empty:
        return []
    shown = []
    topical = evaluated.loc[
        evaluated["chart_topics"].fillna("").str.split(";").map(lambda t: topic in t).astype(bool)
    ]
    q = topical.loc[
        ((topical["kind"] == "quantitative") & topical["claimed_value"].notna()).astype(bool)
    ]
    q = q.loc[(q["year_start"].notna() & (q["year_start"] == q["year_end"])).astype(bool)]
    if units is not None:
        q = q.loc[q["unit"].isin(units).astype(bool)]
    if context:
        q = q.loc[q["filters"].fillna("").map(lambda t: _fits(t, context)).astype(bool)]
    for verdict, grp in q.groupby("verdict", sort=False):
        xs, ys, texts, symbols = [], [], [], []
        for _, c in grp.iterrows():
            x = _claim_x(c.to_dict(), x_mode, basis)
            if x is None:
                continue
            if offsets and x_mode == "year":
                from .claims import parse_filters

                comp = parse_filters(c["filters"]).get("component", [""])[0]
                x = float(x) + offsets.get(comp, 0.0)
            xs.append(x)
            ys.append(float(c["claimed_value"]))
            symbols.append(SYMBOLS.get(c["comparator"], "diamond"))
            texts.append(
                f"<b>Claim {esc(c['claim_id'], 0)}: {esc(verdict.replace('_', ' '), 0)}</b><br>"
                f"“{esc(c['quote'])}”<br>— {esc(c['speaker'])}<br>"
                f"Claimed: {esc(COMPARATOR_WORDS.get(c['comparator'], c['comparator']), 0)} {float(c['claimed_value']):,.0f} {esc(c['unit'], 0)}<br>"
                f"{esc(c['explanation'], 90)}"
            )
            shown.append(c.to_dict())
        if xs:
            fig.add_scatter(
                x=xs, y=ys, mode="markers", name=f"Claim: {verdict.replace('_', ' ')}",
                marker={"symbol": symbols, "size": 16 if present else 13, "color": VERDICT_COLOURS.get(verdict, "#7f7f7f"),
                        "line": {"color": "#ffffff", "width": 1.5}},
                hovertext=texts, hoverinfo="text",
            )  # fmt: skip
    ev = topical.loc[
        ((topical["kind"] == "event") & topical["event_date"].fillna("").ne("")).astype(bool)
    ]
    for i, (_, e) in enumerate(ev.sort_values("event_date").iterrows()):
        try:
            d0 = dt.date.fromisoformat(str(e["event_date"])[:10])
            d1 = dt.date.fromisoformat(str(e["event_end"])[:10]) if e.get("event_end") else None
        except ValueError:
            continue
        x0 = _event_x(d0, x_mode, basis)
        level = 1.0 - 0.07 * (i % 4)
        if d1 and d1 > d0:
            fig.add_vrect(
                x0=x0,
                x1=_event_x(d1, x_mode, basis),
                fillcolor="#888888",
                opacity=0.18,
                line_width=0,
                layer="below",
            )
        else:
            fig.add_vline(x=x0, line={"color": "#666666", "width": 1, "dash": "dot"}, layer="below")
        fig.add_scatter(
            x=[x0], y=[level], yaxis="y2", mode="markers+text", text=[esc(e["label"], 0)],
            textposition="middle right", textfont={"size": 14 if present else 11, "color": "#444444"},
            marker={"symbol": "line-ns", "size": 10, "line": {"width": 2, "color": "#666666"}},
            hovertext=[f"<b>{esc(e['label'], 0)}</b> ({esc(e['event_date'], 0)}{' to ' + esc(e['event_end'], 0) if e.get('event_end') else ''})<br>“{esc(e['quote'])}”<br>{esc(e['note'])}"],
            hoverinfo="text", showlegend=False, cliponaxis=False, name=f"event {esc(e['claim_id'], 0)}",
        )  # fmt: skip
        shown.append(e.to_dict())
    if len(ev):
        fig.update_layout(
            yaxis2={"overlaying": "y", "range": [0, 1.05], "visible": False, "fixedrange": True}
        )
    return shown


def _x_extent(fig: go.Figure) -> tuple[float, float] | None:
    vals: list[float] = []
    for tr in fig.data:
        xs = getattr(tr, "x", None)
        if xs is None or getattr(tr, "yaxis", None) == "y2":
            continue
        for x in xs:
            if isinstance(x, int | float):
                vals.append(float(x))
            elif isinstance(x, str) and len(x) >= 10:
                with contextlib.suppress(ValueError):
                    vals.append(dt.date.fromisoformat(x[:10]).toordinal())
    return (min(vals), max(vals)) if vals else None


def finalize(fig: go.Figure, present: bool = False, width_px: int = 1000) -> go.Figure:
    """After every trace is in: room for the legend rows, and event labels kept inside."""
    base = 20 if present else 14
    names = [
        t.name
        for t in fig.data
        if t.showlegend is not False and t.name and getattr(t, "yaxis", None) != "y2"
    ]
    char_px = (base - 2) * 0.62
    row_px, rows = 0.0, 1 if names else 0
    for n in names:
        w = 40 + char_px * len(str(n))
        if row_px + w > width_px and row_px > 0:
            rows += 1
            row_px = 0
        row_px += w
    fig.update_layout(margin={"t": int(base * 5.2 + rows * (base + 8))})
    ext = _x_extent(fig)
    if ext and ext[1] > ext[0]:
        lo, hi = ext
        for tr in fig.data:
            if getattr(tr, "yaxis", None) == "y2" and tr.x:
                x = tr.x[0]
                v = (
                    float(x)
                    if isinstance(x, int | float)
                    else dt.date.fromisoformat(str(x)[:10]).toordinal()
                )
                if (v - lo) / (hi - lo) > 0.62:
                    tr.textposition = "middle left"
    return fig
