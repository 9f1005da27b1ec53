"""One renderer: a View (tidy numbers + words) and a size become a finished figure, built in
one step from plain dicts. Every piece of text has reserved room, computed for the narrowest
width the figure is drawn at: title and subtitle, then the numbered event band above the plot;
legend or direct labels to the right; tick labels, the source line, notes, the claims key and
the events key below. Nothing is placed over the data.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure
from plotly.io.json import to_json_plotly

from .. import periods
from . import overlays, style
from .style import FONT, GREY, INK, Size, esc
from .words import month_word

LINE = 1.32  # line height, in ems


@dataclass
class View:
    """What a chart shows: tidy numbers (x, series, value, partial, span, style), plain words,
    sources of the rows drawn, and the claim scope of the view."""

    frame: pd.DataFrame
    kind: str  # "bars", "lines", "hbar", "tiles"
    title: str
    subtitle: str
    unit: str
    y_title: str = ""
    x_title: str = ""
    x: str = "year"  # "year", "date", "category"
    basis: str = "calendar"
    labels: dict[str, str] = field(default_factory=dict)  # series key -> plain words
    order: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: pd.DataFrame | None = None  # exactly the numbers drawn (CSV / table)
    scope: overlays.Scope | None = None
    topic: str = ""  # "deaths", "seizures", "encounters", "overview": which events/claims
    stacked: bool = True
    empty: str = ""  # why there is nothing to draw
    zero_based: bool = True
    hline: float | None = None
    height: int | None = None
    decimals: int = 0
    tiles: dict | None = None  # tile-map payload
    colours: dict[str, str] = field(default_factory=dict)  # series that take another's colour
    legend: bool = True
    # a key even for one series: when which value of a breakdown it is is not in the title
    # (one title of authority; only the by-State total of later years)
    key_single: bool = False
    drugs: frozenset[str] = frozenset()  # drug codes drawn (caveats that concern them)
    # what the chart is limited to, by claim-filter column ("drug", "citizenship"): an event
    # whose filters name none of these values is not drawn on it (overlays.event_applies)
    selection: dict[str, frozenset[str]] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)  # what to click in the app: not on slides


@functools.cache
def template() -> dict:
    """Plotly's default template, as `go.Figure` writes it into every figure's layout: put in
    each figure's dict here, so a figure drawn from the dict looks as one built by Plotly."""
    return go.Figure().to_dict()["layout"]["template"]


@dataclass
class Chart:
    """A finished figure (`spec`: Plotly's figure dict, data and layout) and exactly the
    numbers it displays."""

    name: str
    title: str
    spec: dict
    data: pd.DataFrame
    subtitle: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    claims_shown: list[dict] = field(default_factory=list)

    @functools.cached_property
    def fig(self) -> go.Figure:
        """The figure as a Plotly object (validated): for image export and the tests. The
        pages draw `drawn`, without the 20-30 ms a chart that building this takes."""
        return go.Figure(self.spec)

    @functools.cached_property
    def drawn(self) -> BaseFigure:
        """The figure as `st.plotly_chart` takes it, its dict made once per built chart."""
        return FigureDict(self.spec)


class FigureDict(BaseFigure):
    """A finished figure reduced to the one thing `st.plotly_chart` asks of a figure, its
    `to_dict()`. Streamlit calls it on every run of a page, and Plotly's answer is a deep copy
    of every trace: 2-3 ms a chart, a fifth of the claims page's script. Here the dict is
    made once, through Plotly's JSON encoder (numbers, dates and NaN as Plotly sends them),
    from the figure's dict, without building and validating a `go.Figure` (half of a chart's
    build time; `tests/test_charts.py` checks that both give the same figure for every
    chart). Nothing else of a figure works on it: build and export with `Chart.fig`."""

    def __init__(self, spec: dict) -> None:  # no BaseFigure.__init__: no validation
        self._dict = json.loads(to_json_plotly(spec))

    def to_dict(self) -> dict:
        return self._dict


def _fmt(v: float, unit: str = "") -> str:
    return style.number(v, unit)


def _year_label(y: int, basis: str) -> str:
    return f"FY{y}" if basis == "fiscal" else str(int(y))


def _px(chars: int, font: int) -> float:
    return chars * font * 0.65


def _stack_max(df: pd.DataFrame, stacked: bool) -> float:
    """The tallest bar or stack; 0 when no bar has a value (NaN would make the axis 0-1 and
    hide every point: a year with provisional counts but no final one)."""
    if df.empty:
        return 0.0
    v = df["value"].astype(float)
    top = df.assign(v=v.clip(lower=0)).groupby("x")["v"].sum().max() if stacked else v.max()
    return 0.0 if pd.isna(top) else float(top)


def _nice_max(v: float) -> tuple[float, float | None]:
    """The top of a value axis and its gridline step (`_step`; None for no data): a little above
    the largest value, rounded up to a whole step, so that a gridline stands above the tallest
    bar (a bar that ends above the last gridline reads as cut off)."""
    if not v > 0 or not math.isfinite(v):
        return 1.0, None
    step = _step(v)
    return math.ceil(v * 1.04 / step) * step, step


def _step(top: float) -> float:
    """The gridline spacing for an axis up to `top`: a seventh of it or a little more, 1, 2, 2.5 or 5 times
    a power of ten (also given to Plotly, whose own choice could leave the top unlabelled)."""
    rough = top / 7
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def _around_points(
    shapes: list[dict],
    points: list[tuple[float, float]],
    xr: tuple,
    yr: tuple[float, float],
    plot_px: float,
    plot_h: float,
    reach: float = 10,
) -> list[dict]:
    """Event lines (at their true dates) with a gap where they would cross a point marker
    (12 px, white-filled): the line stops `reach` px above it and goes on below it, rather
    than running through it or being moved off its date. Widths are the narrowest figure's
    (a wider one only parts them more); heights are fixed."""
    out = []
    for sh in shapes:
        xf = _xfrac(sh.get("x0"), *xr) if sh.get("name") == "event_line" else None
        if xf is None:
            out.append(sh)
            continue
        cuts = sorted(
            (yf - reach / plot_h, yf + reach / plot_h)
            for x, y in points
            if (pf := _xfrac(x, *xr)) is not None and abs(pf - xf) * plot_px < reach
            and 0 <= (yf := (y - yr[0]) / (yr[1] - yr[0])) <= 1
        )  # fmt: skip
        lo = 0.0
        for a, b in cuts + [(1.0, 1.0)]:
            if a > lo:
                out.append({**sh, "y0": lo, "y1": min(a, 1.0)})
            lo = max(lo, b)
    return out


def _apart(centres: list[float], widths: list[float], right: float, gap: float = 8) -> list[float]:
    """Pixel shifts for badges (centre, width, in order) so that no two touch ('2-3' and
    '4-6,8-9' side by side read as one box), each moved as little as it can be: pushed right
    past the one before, then back left from the plot's right edge."""
    pos = list(centres)
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + (widths[k - 1] + widths[k]) / 2 + gap)
    if pos and pos[-1] + widths[-1] / 2 > right:
        pos[-1] = right - widths[-1] / 2
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - (widths[k + 1] + widths[k]) / 2 - gap)
    return [p - c for p, c in zip(pos, centres, strict=True)]


def _lines_footer(texts: list[str], width_chars: int) -> list[str]:
    out: list[str] = []
    for t in texts:
        out.extend(style.wrap_lines(t, width_chars))
    return out


MAX_DIRECT = 6  # lines labelled at their ends; more get a key


def render(name: str, v: View, size: Size, claims: pd.DataFrame | None, source_line: str) -> Chart:
    s = size
    # a view's own height is for the page; on a slide or an export it grows with the size,
    # within a screen's height
    base = style.CARD if s.card else style.PAGE
    H = (
        min(int(v.height * s.height / base.height), int(s.height * 1.2))
        if v.height and s.name in ("present", "export", "card_present")
        else v.height or s.height
    )
    is_year = v.x == "year"
    frame = v.frame.copy() if v.frame is not None else pd.DataFrame()
    if "partial" not in frame:
        frame["partial"] = False
    frame["partial"] = frame["partial"].fillna(False).astype(bool)
    if "span" not in frame:
        frame["span"] = ""
    if "style" not in frame:
        frame["style"] = "bar" if v.kind in ("bars", "hbar") else "line"
    empty = v.empty or (
        "" if len(frame) and frame["value"].notna().any() else "No data for this selection."
    )
    present = set(frame.get("series", []))
    order = [k for k in (v.order or list(dict.fromkeys(frame["series"]))) if k in present]
    cmap = {**style.colours(order), **{k: c for k, c in v.colours.items() if k in order}}
    notes = list(v.notes) + (v.hints if s.name not in ("export", "present", "card_present") else [])
    traces: list[dict] = []
    lone_dots: list[dict] = []  # drawn after every series
    lone_end: set = set()  # series whose last point stands alone (a dot, not a line's end)
    shapes: list[dict] = []
    annotations: list[dict] = []
    claims_shown: list[dict] = []

    # --- claims and events (what goes on this view, what does not and why) ---------------
    drawn, skipped = ([], [])
    events: list[dict] = []
    if not empty and v.kind in ("bars", "lines") and v.topic:
        drawn, skipped = overlays.claims_for(claims, v.topic, v.scope)
        events = overlays.events_for(claims, v.topic, v.selection)

    # --- y range from the data only: a claim beyond it is an edge marker ------------------
    data_max = (
        _stack_max(frame[frame["style"].isin(["bar"])], v.stacked) if v.kind == "bars" else 0.0
    )
    data_max = max(
        data_max,
        float(frame["value"].max()) if len(frame) and frame["value"].notna().any() else 0.0,
    )
    in_range = [
        float(c["claimed_value"]) for c, _ in drawn if float(c["claimed_value"]) <= data_max * 1.2
    ]
    top_v = max([data_max, *in_range])
    # a hair above the top gridline: Plotly leaves out a gridline on the range's very edge
    ymax, ystep = _nice_max(top_v)
    ymax *= 1.004
    ymin = 0.0
    if not v.zero_based and len(frame) and frame["value"].notna().any():
        lo = min(float(frame["value"].min()), v.hline if v.hline is not None else float("inf"))
        ymax = max(ymax, (v.hline or 0) * 1.08)
        ymin = max(0.0, lo - 0.06 * (ymax - lo))

    # --- x range ---------------------------------------------------------------------------
    xs = frame["x"].dropna().tolist() if len(frame) else []
    if is_year and xs:
        x0, x1 = min(xs) - 0.6, max(xs) + 0.6
    elif v.x == "date" and xs:
        d = pd.to_datetime(pd.Series(xs))
        x0 = (d.min() - pd.Timedelta(days=20)).date().isoformat()
        x1 = (d.max() + pd.Timedelta(days=20)).date().isoformat()
    else:
        x0 = x1 = None
    covered = _covered(v, xs)

    # --- traces -------------------------------------------------------------------------------
    unit = v.unit
    dec = v.decimals
    n_groups = len(order) if v.kind == "bars" and not v.stacked else 1
    # in grouped bars, a series whose years no other series has (the by-State total of the
    # years after the by-area files) takes no slot in every year: it shares the first
    # series' slot group and is drawn centred, full width, in its own years
    grouped, alone = list(order), set()
    if v.kind == "bars" and not v.stacked and len(order) > 1 and "x" in frame:
        years = {k: set(frame.loc[frame["series"] == k, "x"]) for k in order}
        alone = {
            k for k in order if not years[k] & set().union(*(years[j] for j in order if j != k))
        }
        grouped = [k for k in order if k not in alone] or list(order)
        alone -= set(grouped)
        n_groups = len(grouped)
    own_traces = v.kind in ("grid", "tiles") and v.tiles and not empty  # the view draws itself
    cols, rows = _rows(frame) if not own_traces else ({}, {})
    points = [p for p in ("point", "diamond") if is_year and p in set(cols.get("style", ()))]
    point_shift = {p: (i - (len(points) - 1) / 2) * 0.22 for i, p in enumerate(points)}
    points_at: list[tuple[float, float]] = []  # (x, y) of every point-style marker
    for key in order if not own_traces else ():
        lab = v.labels.get(key, str(key))
        col = cmap[key]
        for sty, idx in rows.get(key, {}).items():
            xl = [cols["x"][i] for i in idx]
            yl = [None if _na(y := cols["value"][i]) else round(float(y), 2) for i in idx]
            part = [bool(cols["partial"][i]) for i in idx]
            spans = [_text(cols["span"][i]) for i in idx]
            xlab = [
                _year_label(x, v.basis)
                if is_year
                else (_month_word(x) if v.x == "date" else str(x))
                for x in xl
            ]
            extra = [_text(cols["hover"][i]) for i in idx] if "hover" in cols else [""] * len(idx)
            hover = [
                f"<b>{esc(lab)}</b><br>{esc(xx)}: {'no data' if y is None else _fmt(y, unit) if dec == 0 else f'{y:,.{dec}f} {unit}'}"
                + (
                    (
                        f"<br><i>partial: {esc(sp)} only</i>"
                        if sp
                        else "<br><i>partial year: see the notes</i>"
                    )
                    if p
                    else ""
                )
                + (f"<br>{esc(e, 80)}" if e else "")
                for xx, y, p, sp, e in zip(xlab, yl, part, spans, extra, strict=True)
            ]
            if v.kind == "hbar":
                traces.append({"type": "bar", "orientation": "h", "y": [_cat(v, x) for x in xl[::-1]], "x": yl[::-1], "name": esc(lab),
                               "marker": {"color": col}, "hovertext": hover[::-1], "hoverinfo": "text", "showlegend": False})  # fmt: skip
            elif sty == "bar":
                width = (
                    {"width": 0.75}
                    if is_year and (v.stacked or n_groups == 1 or key in alone)
                    else {}
                )
                if key in alone:
                    width["offset"] = -0.375
                for want_partial in (
                    False,
                    True,
                ):  # full years carry the legend swatch (never hatched)
                    pick = [p == want_partial for p in part]
                    if not any(pick):
                        continue
                    sel = lambda seq, pick=pick: [a for a, k in zip(seq, pick, strict=True) if k]  # noqa: E731
                    traces.append({
                        "type": "bar", "x": sel(xl), "y": sel(yl), "name": esc(lab), "legendgroup": esc(str(key)),
                        "offsetgroup": "stack" if v.stacked else str(grouped[0] if key in alone else key), **width,
                        "marker": {"color": col, "opacity": 1,
                                   "pattern": {"shape": "/" if want_partial else "", "fillmode": "replace",
                                               "solidity": 0.35, "fgcolor": col, "bgcolor": "#ffffff"},
                                   "line": {"width": 1.5 if want_partial else 0, "color": col}},
                        "hovertext": sel(hover), "hoverinfo": "text",
                        "showlegend": (len(order) > 1 or v.key_single) and v.legend and (not want_partial or not any(not p for p in part)),
                    })  # fmt: skip
            elif sty in ("line", "dotted"):
                full = [None if p else y for y, p in zip(yl, part, strict=True)]
                traces.append({"type": "scatter", "mode": "lines", "x": xl, "y": full, "name": esc(lab), "legendgroup": esc(str(key)),
                               "line": {"color": col, "width": 2.6 if sty == "line" else 1.6, "dash": "solid" if sty == "line" else "dot"},
                               "hovertext": hover, "hoverinfo": "text", "showlegend": False, "connectgaps": False})  # fmt: skip
                lone = isolated(full)
                if sty == "line" and not is_year:
                    last_i = max((i for i, y in enumerate(full) if y is not None), default=None)
                    if last_i is not None and lone[last_i]:
                        lone_end.add(key)
                if any(lone) and not is_year:  # a point with no neighbour would be invisible
                    # drawn over every line (another series' line never hides it), a solid dot
                    # in a white ring that parts it from a line it sits on
                    lone_dots.append({"type": "scatter", "mode": "markers", "x": [x for x, k in zip(xl, lone, strict=True) if k],
                                      "y": [y for y, k in zip(full, lone, strict=True) if k], "showlegend": False, "hoverinfo": "text",
                                      "hovertext": [h for h, k in zip(hover, lone, strict=True) if k], "name": esc(lab),
                                      "marker": {"size": 8, "color": col, "line": {"color": "#ffffff", "width": 1.5}} if sty == "line"
                                      else {"size": 5, "color": "#ffffff", "line": {"color": col, "width": 1.5}}})  # fmt: skip
                if is_year:  # full years get a dot; partial years a hollow, unconnected marker
                    traces.append({"type": "scatter", "mode": "markers", "x": xl, "y": full, "showlegend": False, "hoverinfo": "skip",
                                   "marker": {"size": 7, "color": col}, "name": esc(lab)})  # fmt: skip
                if any(part):
                    traces.append({"type": "scatter", "mode": "markers", "x": [x for x, p in zip(xl, part, strict=True) if p],
                                   "y": [y for y, p in zip(yl, part, strict=True) if p], "name": esc(lab) + " (partial year)",
                                   "marker": {"size": 10, "color": "#ffffff", "line": {"color": col, "width": 2}},
                                   "hovertext": [h for h, p in zip(hover, part, strict=True) if p], "hoverinfo": "text", "showlegend": False, "cliponaxis": False})  # fmt: skip
            else:  # point styles: "point" (hollow circle), "diamond" (hollow diamond)
                shift = point_shift.get(sty, 0.0)  # side by side in the year, not on each other
                points_at += [(float(x) + shift, float(y)) for x, y in zip(xl, yl, strict=True)
                              if y is not None and isinstance(x, int | float)]  # fmt: skip
                traces.append({"type": "scatter", "mode": "markers", "x": [x + shift for x in xl] if shift else xl, "y": yl, "name": esc(lab), "legendgroup": esc(str(key)),
                               # hollow, filled white: an event's dotted line behind it does not show through
                               "marker": {"symbol": "diamond" if sty == "diamond" else "circle", "size": 12,
                                          "color": "#ffffff", "line": {"width": 2.5, "color": col}},
                               "hovertext": hover, "hoverinfo": "text", "showlegend": True})  # fmt: skip

    traces += lone_dots
    lone_last: set = set()
    if lone_end and v.x == "date" and x1 is not None:
        drawn_x = frame.loc[frame["value"].notna(), ["series", "x"]]
        last_x = drawn_x["x"].max()
        lone_last = {
            k for k in lone_end if drawn_x.loc[drawn_x["series"] == k, "x"].max() == last_x
        }
    if lone_last:
        # a line's end that is a lone dot at the right edge: room for the leader to its label
        # (a 3-px stub read as a dash before the name, the dot as a legend's bullet)
        x1 = max(x1, (pd.Timestamp(last_x) + pd.Timedelta(days=100)).date().isoformat())

    # --- claims: markers at the claimed value (edge markers beyond the scale) ----------------
    claim_keys: list[str] = []
    offs: list[tuple] = []  # claims above the top of the scale: (x, claim, claimed value)
    if drawn:
        width = 1 - 0.25
        for c, at in drawn:
            cx = overlays.claim_x(c, v.scope)
            match = [k for k in order if k == at or str(k).startswith(f"{at}:")]
            match = sorted(match, key=lambda k: "fentanyl" not in str(k))
            if at and n_groups > 1 and match and is_year and match[0] in grouped:
                i = grouped.index(match[0])
                cx = float(cx) - width / 2 + width / n_groups * (i + 0.5)
            cv = float(c["claimed_value"])
            off = cv > ymax
            if point_shift and not off and isinstance(cx, float):
                # beside the year's points (reported, predicted), not over them (a claim near
                # the data hid both); on their left, away from late-year events' lines
                cx += min(point_shift.values()) - 0.3
            sym = overlays.SYMBOLS.get(c.get("comparator"), "diamond")
            from ..claims import VERDICT_COLOURS

            # a white halo beneath: the marker stands out on a bar or line of any colour (a
            # green 'supported' on the Border Patrol's green bars was nearly invisible)
            traces.append({"type": "scatter", "mode": "markers", "x": [cx], "y": [ymax if off else cv], "cliponaxis": False,
                           "marker": {"symbol": "triangle-up" if off else sym, "size": 22, "color": "#ffffff"},
                           "name": "halo", "showlegend": False, "hoverinfo": "skip"})  # fmt: skip
            traces.append({"type": "scatter", "mode": "markers", "x": [cx], "y": [ymax if off else cv], "cliponaxis": False,
                           "marker": {"symbol": "triangle-up" if off else sym, "size": 15, "color": VERDICT_COLOURS.get(c.get("verdict"), "#7f7f7f"),
                                      "line": {"color": INK, "width": 1.5}},
                           "name": f"Claim {esc(c['claim_id'])}", "showlegend": False, "hoverinfo": "text",
                           "hovertext": [f"<b>Claim {esc(c['claim_id'])}: {esc(str(c.get('verdict')).replace('_', ' '))}</b><br>“{esc(c.get('quote'), 70)}”<br>{esc(c.get('explanation'), 80)}"]})  # fmt: skip
            if off:
                offs.append((cx, c, cv))
            words = overlays.claim_words(c, _fmt)
            claim_keys.append(
                f"{'▲' if off else overlays.glyph(c)} {words}"
                + (" — above the top of the scale" if off else "")
            )
            claims_shown.append(c)

    # --- events: dotted lines beneath the data, numbered badges above the plot ---------------
    ev_rows = 0
    event_keys: list[str] = []
    badges: list[tuple[float | str, str]] = []
    if events and x0 is not None:

        def num(xv):
            return xv if isinstance(xv, float) else dt.date.fromisoformat(xv).toordinal()

        lo, hi = num(x0), num(x1)
        # years per pixel of the plot: a nudge off a bar's edge is a few pixels, so a few days
        # on a chart of one year (it was a fixed 0.07 year: 25 to 42 days off there)
        per_px = (hi - lo) / max(s.min_width - 200, 1) if is_year else 0.0

        def at(date: dt.date) -> float | str:
            """The event's x: on bars, its place across its year's bar (0.75 of a year wide,
            bargap 0.25); a line that would run down the bar's edge (the first or last days of
            the year) moves 6 pixels in, instead of outlining it or standing in the gap."""
            bars = v.kind == "bars"
            xe = overlays.event_x(date, v.x, v.basis, 0.75 if bars else 1.0)
            if bars and isinstance(xe, float) and per_px:
                frac = xe - round(xe)
                for edge in (-0.375, 0.375):
                    if abs(frac - edge) < 5 * per_px:  # within 5 pixels of the edge
                        xe = round(xe) + edge + (-6 * per_px if edge > 0 else 6 * per_px)
            return xe

        # numbered in date order among all of the article's events (claims.event_numbers), so
        # that an event has the same number on every chart of every page and in the claims
        # page's table, also where a chart's topic or years leave some out
        # and only in the years (months) drawn: an event of November 2023 is not put in the
        # margin beside a chart of 2024-2025
        inside = [(e.get("number") or i, e) for i, e in enumerate(events, start=1)
                  if lo <= num(at(e["d0"])) <= hi and (covered is None or covered[0] <= e["d0"] <= covered[1])]  # fmt: skip
        plot_w = s.min_width - 200
        groups: list[list[tuple[int, dict]]] = []
        for i, e in inside:
            xe = at(e["d0"])
            px = (num(xe) - lo) / (hi - lo) * plot_w if hi > lo else 0
            if groups and px - groups[-1][-1][2] < 30:
                groups[-1].append((i, e, px))
            else:
                groups.append([(i, e, px)])
            x_ev = at(e["d0"])
            short = e["d1"] and (e["d1"] - e["d0"]).days < 0.015 * _span_days(x0, x1, v.x)
            if e["d1"] and not short:
                shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x_ev, "x1": at(e["d1"]),
                               "y0": 0, "y1": 1, "fillcolor": "#888888", "opacity": 0.14, "line": {"width": 0}, "layer": "below"})  # fmt: skip
            else:
                shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x_ev, "x1": x_ev, "y0": 0, "y1": 1,
                               "line": {"color": "#8a8a8a", "width": 1, "dash": "dot"}, "layer": "below", "name": "event_line"})  # fmt: skip
            when = e["d0"].strftime("%-d %b %Y") + (
                f" to {e['d1'].strftime('%-d %b %Y')}" if e["d1"] else ""
            )
            event_keys.append(f"[{i}] {when}: {e['label']}")
            claims_shown.append(e)
        for grp in groups:
            ids = [i for i, _, _ in grp]
            text = style.runs(ids, ",")  # '4-6,8-9', not '4-9' when 7 is not drawn here
            xs_ = [at(e["d0"]) for _, e, _ in grp]
            badges.append((xs_[len(xs_) // 2], text))
        ev_rows = 1 if badges else 0

    # --- words: subtitle, footer (source, notes, claims, events), legend / direct labels -------
    text_w = s.min_width - 20
    subtitle = _years_drawn(v, frame) if v.subtitle and not empty else v.subtitle
    sub_lines = _lines_footer([subtitle], s.chars(text_w, s.font)) if subtitle else []
    if skipped and v.topic != "card":
        if s.name in ("export", "present"):  # a slide: what is not drawn, not what to click
            notes.append(
                "Claims about other views, not drawn here: "
                + "; ".join(dict.fromkeys(w.rsplit(": ", 1)[0] for w in skipped))
                + "."
            )
        else:
            notes.append("Claims not drawn here: " + "; ".join(dict.fromkeys(skipped)) + ".")
    foot = [f"Source: {source_line}"] + notes
    if claim_keys:
        foot.append("Claims (markers at the claimed value): " + " · ".join(claim_keys))
    if event_keys:
        foot.append("Events in the article (numbered above the chart): " + " · ".join(event_keys))
    foot_lines = _lines_footer(foot, s.chars(text_w, s.small))

    # legend (bars with several series) or direct labels at line ends
    ends_at = _line_ends(v, frame, order, x0, x1) if v.kind == "lines" and not empty else {}
    latest = max((xf for _, xf in ends_at.values() if xf is not None), default=None)
    short = {k for k, (_, xf) in ends_at.items() if xf is not None and xf < latest - 0.005}
    # labels at the line ends only when every line ends at the same time: a line that stops
    # earlier had its label beside another line's end (or a leader across the later data)
    # and for a few lines only: with more, their ends crowd and the leaders from the labels
    # met in one knot (eight states and the nation ending within 5 deaths per 100,000)
    direct = v.kind == "lines" and len(order) <= MAX_DIRECT and not short
    legend = (v.kind == "bars" and (len(order) > 1 or v.key_single) and v.legend) or (
        v.kind == "lines" and not direct
    )
    if v.kind == "bars" and any(t.get("type") == "scatter" and t.get("showlegend") for t in traces):
        legend = True  # point series beside the bars (provisional counts) need their key
    lab_chars = 24 if not s.card else 16
    right = 24
    if legend and v.kind == "lines":  # one key entry per series: its main line, named
        keyed = set()  # with where it stops when it stops short
        for t in traces:
            g = t.get("legendgroup")
            if t.get("mode") == "lines" and g is not None and g not in keyed:
                key = next((k for k in order if esc(str(k)) == g), None)
                if key is not None:
                    keyed.add(g)
                    t["showlegend"] = True
                    t["name"] = esc(_end_label(v, key, ends_at, short))
    if legend:
        names = [_end_label(v, k, ends_at, short) for k in order]
        right = int(
            max(_px(min(lab_chars, max((len(n) for n in names), default=4)), s.small) + 62, 120)
        )
        for t in traces:  # wrap legend names
            if t.get("showlegend"):
                t["name"] = "<br>".join(
                    esc(x) for x in style.wrap_lines(_unesc(t["name"]), lab_chars)
                )
    if direct:
        names = [_direct_label(v, k, ends_at, lone_end) for k in order]
        right = int(
            max(_px(min(lab_chars, max((len(n) for n in names), default=4)), s.small) + 16, 90)
        )

    # ticks
    tickvals = ticktext = None
    two_line = False
    if is_year and xs:
        years = sorted({int(x) for x in xs})
        step = 1 if len(years) <= (14 if s.min_width > 600 else 7) else 2
        spans = {}
        for yv, gg in frame.groupby("x") if v.kind == "bars" else ():
            p = gg[gg["partial"]]
            if gg["value"].isna().all():  # a year the axis spans without a figure: say so
                spans[int(yv)] = "no data"
            elif len(p):
                u = sorted(set(p["span"].fillna("")))
                spans[int(yv)] = u[0] if len(u) == 1 and u[0] else "partial"
        tickvals = years[::step]
        ticktext = []
        for yv in tickvals:
            t = _year_label(yv, v.basis)
            if yv in spans:
                t += "<br>" + esc(spans[yv])
                two_line = True
            ticktext.append(t)
    tick_font = s.small
    left_chars = 7
    if v.kind in ("bars", "lines") and ymax > 0:  # the widest tick label ('120,000,000')
        left_chars = max(7, len(f"{ymax:,.0f}") - 1)
    if v.kind == "hbar":
        left_chars = min(30, max((len(str(v.labels.get(x, x))) for x in xs), default=6))
    # margins (px)
    off_lines = [_off_scale_words(c, cv) for _, c, cv in offs]
    off_h = (s.small * LINE + 20) if offs else 0  # a band for them, above the events' badges
    top_tick = tick_font * 0.7 if v.kind in ("bars", "lines") else 0  # the top gridline's label
    top = (10 + s.title * LINE + len(sub_lines) * s.font * LINE + 10 + (30 if ev_rows else 0)
           + off_h + 6 + top_tick)  # fmt: skip
    x_ticks = (2 if two_line else 1) * tick_font * LINE + 8
    x_title_h = s.font * LINE + 4 if v.x_title else 0
    bottom = x_ticks + x_title_h + 12 + len(foot_lines) * s.small * LINE + 8
    left = _px(left_chars, tick_font) + 16 + (s.font * LINE + 6 if v.y_title else 0)
    if v.kind == "tiles":
        left, right = 10, int(_px(12, s.small) + 80)
    if v.kind == "grid":
        left, right = 12, 24  # the last column's dots and years clear of the edge
    if v.kind == "hbar" and ymax > 0:  # the value axis' last tick label is centred on the edge
        right = max(right, int(_px(len(f"{ymax:,.0f}"), tick_font) / 2) + 14)
    plot_h = H - top - bottom
    if plot_h < (
        floor := 170 if s.card else 300
    ):  # a long footer: give the figure the height it needs
        H += int(floor - plot_h)
        plot_h = floor
    plot_px = max(1.0, s.min_width - left - right)  # the plot's width, at the narrowest figure

    # direct labels: de-collided in pixels, placed in the right margin
    if direct and not empty:
        ends = []
        for key in order:
            if key not in ends_at:
                continue
            last, xf = ends_at[key]
            lines = style.wrap_lines(_direct_label(v, key, ends_at, lone_end), lab_chars)
            ypx = (float(last["value"]) - ymin) / (ymax - ymin) * plot_h if ymax > ymin else 0
            ends.append(
                [ypx, lines, cmap[key], len(lines) * s.small * LINE, ypx, xf, key in lone_end, key in lone_last]
            )  # fmt: skip
        ends.sort(key=lambda e: e[0])
        for i in range(1, len(ends)):  # push up to clear the one below
            need = ends[i - 1][0] + ends[i - 1][3] / 2 + ends[i][3] / 2 + 4
            if ends[i][0] < need:
                ends[i][0] = need
        over = (ends[-1][0] + ends[-1][3] / 2 - plot_h) if ends else 0
        if over > 0:  # shift all down, keeping order
            for e in ends:
                e[0] -= over
            for i in range(len(ends) - 2, -1, -1):
                lim = ends[i + 1][0] - ends[i + 1][3] / 2 - ends[i][3] / 2 - 4
                if ends[i][0] > lim:
                    ends[i][0] = lim
        for ypx, lines, col, _h, ypx0, xf, alone, last in ends:
            # a lone dot with nothing drawn to its right, far from the plot's edge: its label
            # beside it (a leader across the empty plot read as a level line)
            beside = alone and last and xf is not None and xf < 0.85 and abs(ypx - ypx0) <= 6
            if (
                not beside and xf is not None and (abs(ypx - ypx0) > 6 or alone)
            ):  # moved off its line's end
                # a thin grey leader from its line's end to the label, across the margin (not
                # dotted in the series' colour: that read as the line going on); from a lone
                # dot always, starting clear of it: a dot just left of its label, level with
                # it, read as a legend's bullet
                reach = 1 + 6 / plot_px
                xf = xf + 7 / plot_px if alone else xf
                shapes.append({"type": "line", "xref": "paper", "yref": "paper", "x0": xf, "y0": ypx0 / plot_h, "x1": reach,
                               "y1": ypx / plot_h, "line": {"color": "#9a9a9a", "width": 0.7}, "name": "leader"})  # fmt: skip
            annotations.append({"xref": "paper", "yref": "paper", "x": xf if beside else 1, "xanchor": "left", "xshift": 8,
                                "y": ypx / plot_h, "yanchor": "middle", "showarrow": False, "align": "left",
                                "text": "<br>".join(esc(x) for x in lines), "font": {"size": s.small, "color": style.text_colour(col)}, "name": "direct_label"})  # fmt: skip

    # event badges, in the band between the subtitle and the plot, none touching another
    centres = [(_xfrac(bx, x0, x1) or 0.0) * plot_px for bx, _ in badges]
    widths = [_px(len(text), s.small - 1) + 10 for _, text in badges]
    spread = _apart(centres, widths, plot_px + 8)
    for (bx, text), spread_px in zip(badges, spread, strict=True):
        # clear of an off-scale claim's line, which passes through the badges' band
        shift = spread_px
        for cx, _c, _cv in offs:
            xa, xb = _xfrac(bx, x0, x1), _xfrac(cx, x0, x1)
            if xa is not None and xb is not None and abs(d := (xa - xb) * plot_px) < 24:
                shift += (24 - abs(d)) * (1 if d >= 0 else -1)
        annotations.append({"xref": "x", "yref": "paper", "x": bx, "xshift": shift, "y": 1 + 10 / plot_h, "yanchor": "bottom", "showarrow": False,
                            "text": f"<b>{text}</b>", "font": {"size": s.small - 1, "color": "#333333"}, "bgcolor": "#f1f1f1",
                            "bordercolor": "#8a8a8a", "borderwidth": 1, "borderpad": 2, "name": "event_badge"})  # fmt: skip

    # claims above the scale: what was claimed and how far above the data, over the marker
    # (a ▲ at the top edge alone read as a claim a little above the bars, whatever its size)
    for (cx, _c, _cv), words in zip(offs, off_lines, strict=True):
        xf = _xfrac(cx, x0, x1) if x0 is not None else None
        anchor = "center" if xf is None or 0.3 <= xf <= 0.7 else ("left" if xf < 0.3 else "right")
        # the label above the events' badges, a thin line from it down to its marker
        annotations.append({"xref": "x", "yref": "y", "x": cx, "y": ymax, "ax": 0, "ay": -(12 + (30 if ev_rows else 0)),
                            "yanchor": "bottom", "xanchor": anchor, "showarrow": True, "arrowhead": 0, "arrowwidth": 1,
                            "arrowcolor": GREY, "standoff": 9, "text": esc(words),
                            "font": {"size": s.small, "color": INK}, "name": "off_scale_claim"})  # fmt: skip

    # footer: source, notes, claims and events keys
    annotations.append({"xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "xshift": -(left - 12), "y": 0, "yanchor": "top",
                        "yshift": -(x_ticks + x_title_h + 10), "showarrow": False, "align": "left",
                        "text": "<br>".join(esc(x) for x in foot_lines), "font": {"size": s.small, "color": GREY}, "name": "source"})  # fmt: skip
    if empty:
        annotations.append({"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                            "text": "<br>".join(esc(x) for x in style.wrap_lines(empty, s.chars(s.min_width - 200, s.font))),
                            "font": {"size": s.font + 1, "color": GREY}, "name": "empty"})  # fmt: skip
    if v.hline is not None and not empty:
        # over the gridlines ('below' put it under them: a gridline at 100 hid the index's base)
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": v.hline, "y1": v.hline,
                       "line": {"color": "#999999", "width": 1, "dash": "dash"}, "layer": "between", "name": "reference"})  # fmt: skip

    xaxis: dict = {"showgrid": False, "automargin": False, "showline": True, "linecolor": "#999999", "ticks": "outside",
                   "tickfont": {"size": tick_font}, "fixedrange": False, "zeroline": False}  # fmt: skip
    yaxis: dict = {"gridcolor": "#e6e6e6", "automargin": False, "tickformat": ",.0f" if dec == 0 else ",", "tickfont": {"size": tick_font},
                   "zeroline": False, "title": {"text": esc(v.y_title), "font": {"size": s.font}, "standoff": 6}}  # fmt: skip
    if v.x_title:
        xaxis["title"] = {"text": esc(v.x_title), "font": {"size": s.font}, "standoff": 4}
    if is_year and tickvals:
        xaxis.update(tickmode="array", tickvals=tickvals, ticktext=ticktext)
    elif v.x == "date" and x0 is not None and len(dec := _december_only(frame)):
        # only December figures (12 months ending December): each tick at one, named, so a
        # dot is not read as the next year's (a January tick stands just right of it)
        dec = dec[:: 1 if len(dec) <= 8 else 2]
        xaxis.update(tickmode="array", tickvals=dec, ticktext=[_month_word(x) for x in dec])
    elif v.x == "date" and v.basis == "fiscal" and x0 is not None:
        # months on the fiscal basis: ticks where fiscal years begin (1 October), not at January
        years = range(int(x0[:4]) - 1, int(x1[:4]) + 1)
        # not beyond the last point: a 30 September figure beside an 'Oct 2023' tick read as
        # running into the next fiscal year
        end = min(x1, str(max(xs))[:10]) if xs else x1
        # figures for 12 months ending each month stand at the month's last day: so do the
        # ticks that name those months ('Oct 2022' under the October figure, not a day after
        # September's)
        at_end = bool(xs) and all(str(x)[8:10] >= "28" for x in xs)

        def tick(y: int, m: int) -> dt.date:
            return periods.month_end(y, m) if at_end else dt.date(y, m, 1)

        starts = [d for d in (tick(y, 10) for y in years) if x0 <= d.isoformat() <= end]
        if len(starts) < 4:  # two years or less: each quarter of the fiscal year, from October
            starts = [d for y in years for m in (1, 4, 7, 10)
                      if x0 <= (d := tick(y, m)).isoformat() <= end]  # fmt: skip
        starts = starts[:: 1 if len(starts) <= 8 else 2]
        xaxis.update(tickmode="array", tickvals=[d.isoformat() for d in starts],
                     ticktext=[f"{d:%b %Y}" for d in starts])  # fmt: skip
    if x0 is not None:
        xaxis["range"] = [x0, x1]
    if ystep:  # gridlines at whole steps up to the top gridline (`ymax` ends just above it)
        yaxis.update(tick0=0, dtick=ystep)
    if v.kind in ("bars", "lines"):
        yaxis["range"] = [ymin, ymax]
    if v.kind == "hbar":
        cats = [_cat(v, x) for x in xs]  # escaped words: raw values never reach the figure
        xaxis, yaxis = ({**yaxis, "title": {"text": esc(v.x_title), "font": {"size": s.font}, "standoff": 4}, "range": [0, ymax]},
                        {**xaxis, "showline": False, "ticks": ""})  # fmt: skip
        yaxis.pop("range", None)
        yaxis.pop("title", None)
        yaxis["categoryorder"] = "array"
        yaxis["categoryarray"] = cats[::-1]
    if empty:
        xaxis = {"visible": False}
        yaxis = {"visible": False}
    if points_at and ymax > ymin:  # an event's line breaks around a point it would cross
        shapes = _around_points(shapes, points_at, (x0, x1), (ymin, ymax), plot_px, plot_h)
    layout = {
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "height": int(H),
        "font": {"family": FONT, "size": s.font, "color": INK},
        "title": {"text": f"<b>{esc(v.title)}</b>", "font": {"size": s.title}, "x": 0, "xref": "container", "xanchor": "left",
                  "pad": {"l": 12}, "y": 1 - 10 / H, "yref": "container", "yanchor": "top",
                  "subtitle": {"text": "<br>".join(esc(x) for x in sub_lines), "font": {"size": s.font, "color": GREY}}},
        "margin": {"l": int(left), "r": int(right), "t": int(top), "b": int(bottom), "autoexpand": False},
        "showlegend": legend,
        "legend": {"x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": s.small},
                   "traceorder": "reversed" if v.stacked and v.kind == "bars" else "normal", "bgcolor": "rgba(0,0,0,0)"},
        "barmode": "stack" if v.stacked else "group", "bargap": 0.25,
        "hoverlabel": {"font": {"family": FONT, "size": s.small}, "align": "left"},
        "xaxis": xaxis, "yaxis": yaxis, "shapes": shapes, "annotations": annotations,
        "modebar": {"remove": ["lasso2d", "select2d"]},
    }  # fmt: skip
    if v.kind == "grid" and v.tiles and not empty:
        traces = _grown(v.tiles["traces"], s)
        layout.update(v.tiles["layout"])
        layout["annotations"] = layout["annotations"] + v.tiles["annotations"]
        layout["showlegend"] = False
    if v.kind == "tiles" and v.tiles and not empty:
        traces = _grown(v.tiles.get("traces", [v.tiles]), s)
        layout["xaxis"] = {"visible": False, "fixedrange": True}
        layout["yaxis"] = {
            "visible": False,
            "autorange": "reversed",
            "scaleanchor": "x",
            "fixedrange": True,
        }
        layout["showlegend"] = False
    # as Plotly's own dict has them: no empty lists, the default template written in
    layout = {k: x for k, x in layout.items() if x != []} | {"template": template()}
    spec = {"data": traces, "layout": layout}
    data = v.data if v.data is not None else frame
    return Chart(
        name, v.title, spec, data, subtitle, source_line, notes, claims_shown
    )  # the subtitle drawn


def _off_scale_words(c: dict, cv: float) -> str:
    """'Claimed: over 1.15 billion pills, 10 times the data': a claim drawn at the scale's top."""
    unit = c.get("unit") or ""
    words = f"Claimed: {overlays.COMPARATOR.get(c.get('comparator'), '')} {_fmt(cv, unit)}".replace(
        "  ", " "
    )
    dv = c.get("data_value")
    if dv is not None and not pd.isna(dv) and float(dv) > 0:
        ratio = cv / float(dv)
        words += f", {ratio:.0f} times the data" if ratio >= 3 else f", {ratio:.1f} times the data"
    return words


def _rows(frame: pd.DataFrame) -> tuple[dict[str, list], dict]:
    """The frame's columns as lists, and each series' row numbers by style (styles in the
    order they first appear): one pass in Python instead of a filter and a group-by per
    series, which was a third of drawing a chart."""
    names = ["x", "value", "partial", "span", "style", *(["hover"] if "hover" in frame else [])]
    cols = {c: frame[c].tolist() for c in names}
    rows: dict = {}
    for i, (k, sty) in enumerate(
        zip(frame["series"].tolist(), frame["style"].tolist(), strict=True)
    ):
        if isinstance(sty, str):
            rows.setdefault(k, {}).setdefault(sty, []).append(i)
    return cols, rows


def _na(y) -> bool:
    return y is None or y is pd.NA or (isinstance(y, float) and y != y)


def _text(t) -> str:
    return "" if _na(t) else t


_RANGE = re.compile(r"(?:^|· )(FY)?(\d{4})-(FY)?(\d{4})(?=, | · |$)")


def _years_drawn(v: View, frame: pd.DataFrame) -> str:
    """The subtitle with the years chosen ('2015-2026, ...' or '... · 2015-2026') cut to the
    years the chart has data for: a chart whose data start in 2019 does not say 2015."""
    m = _RANGE.search(v.subtitle)
    if not m or v.x not in ("year", "date") or "value" not in frame:
        return v.subtitle
    xs = frame.loc[frame["value"].notna(), "x"]
    if xs.empty:
        return v.subtitle
    if v.x == "year":
        years = xs.astype(float).astype(int)
    else:
        d = pd.to_datetime(xs)
        years = d.dt.year + ((d.dt.month >= 10) if m[1] else 0)  # 'FY2020-...': fiscal years
    lo, hi = max(int(years.min()), int(m[2])), min(int(years.max()), int(m[4]))
    if (lo, hi) == (int(m[2]), int(m[4])) or lo > hi:
        return v.subtitle
    fy = "FY" if m[1] else ""
    span = f"{fy}{lo}" if lo == hi else f"{fy}{lo}-{fy}{hi}"
    start = m.start(1) if m[1] else m.start(2)
    return v.subtitle[:start] + span + v.subtitle[m.end() :]


def _december_only(frame: pd.DataFrame) -> list:
    """The dates drawn when every figure of a date chart is a December's (else [])."""
    xs = frame.loc[frame["value"].notna(), "x"] if len(frame) else pd.Series(dtype=object)
    if xs.empty:
        return []
    when = pd.to_datetime(xs)
    return sorted(set(xs)) if (when.dt.month == 12).all() else []


def _covered(v: View, xs: list) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the periods a chart draws: its calendar or fiscal years, or
    its months (a point stands for its month)."""
    if not xs:
        return None
    if v.x == "year":
        y0, y1 = int(min(xs)), int(max(xs))
        if v.basis == "fiscal":
            return dt.date(y0 - 1, 10, 1), dt.date(y1, 9, 30)
        return dt.date(y0, 1, 1), dt.date(y1, 12, 31)
    if v.x == "date":
        d = pd.to_datetime(pd.Series(xs))
        return d.min().date().replace(day=1), (d.max() + pd.offsets.MonthEnd(0)).date()
    return None


def _month_word(x) -> str:
    """A date's month in words ('Sep 2024'), from the ISO strings the views give."""
    if isinstance(x, str) and len(x) >= 7 and x[4] == "-":
        return month_word(x)
    return pd.Timestamp(x).strftime("%b %Y")


def _cat(v: View, x) -> str:
    """A category's words, escaped and cut to 30 characters (the ranking charts' rows)."""
    return esc(str(v.labels.get(x, x))[:30])


def _xfrac(x, x0, x1) -> float | None:
    """Where x sits across the plot (0 left edge, 1 right edge)."""
    try:
        if isinstance(x0, str):
            a, b, v = (pd.Timestamp(t).toordinal() for t in (x0, x1, x))
        else:
            a, b, v = float(x0), float(x1), float(x)
    except (TypeError, ValueError):
        return None
    return (v - a) / (b - a) if b > a else None


def _span_days(x0, x1, x: str) -> float:
    if x0 is None:
        return 1.0
    if x == "date":
        return float((pd.Timestamp(x1) - pd.Timestamp(x0)).days)
    return (float(x1) - float(x0)) * 365.25


def isolated(ys: list) -> list[bool]:
    """Points with a value but no neighbour with one (a line cannot show them)."""
    n = len(ys)
    return [
        ys[i] is not None and (i == 0 or ys[i - 1] is None) and (i == n - 1 or ys[i + 1] is None)
        for i in range(n)
    ]


def _grown(traces: list[dict], s: Size) -> list[dict]:
    """A tile map's or the small multiples' traces with their words as large as the size's
    type (on a slide or an export); new dicts: the view's own are left as they are."""
    if s.name not in ("present", "export"):
        return traces
    grow = s.font / style.PAGE.font
    return [
        {**t, "textfont": {**t["textfont"], "size": round(t["textfont"].get("size", 12) * grow)}}
        if "textfont" in t
        else t
        for t in traces
    ]


def _line_ends(v: View, frame: pd.DataFrame, order: list, x0, x1) -> dict:
    """Each line's last full point and where it sits across the plot (0-1): {key: (row, xf)}."""
    out = {}
    for key in order:
        g = frame[(frame["series"] == key) & frame["value"].notna() & (frame["style"] == "line")]
        if "partial" in g:
            g = g[~g["partial"]]
        if not g.empty:
            last = g.iloc[-1]
            out[key] = (last, _xfrac(last["x"], x0, x1))
    return out


def _direct_label(v: View, key, ends_at: dict, lone_end: set) -> str:
    """A line's label at its end; where that end is a lone dot, with its month ('Ohio, Dec
    2024'): the dot is a figure for that month, apart from the line."""
    lab = v.labels.get(key, str(key))
    last, _ = ends_at.get(key, (None, None))
    if key in lone_end and last is not None and v.x == "date":
        lab = f"{lab}, {_month_word(last['x'])}"
    return lab


def _end_label(v: View, key, ends_at: dict, short: set) -> str:
    """A line's name in the key; for a line that stops before the others, where it stops
    ('..., to Sep 2024')."""
    lab = v.labels.get(key, str(key))
    last, _ = ends_at.get(key, (None, None))
    if key in short and last is not None:
        when = _month_word(last["x"]) if v.x == "date" else _year_label(int(last["x"]), v.basis)
        lab = f"{lab}, to {when}"
    return lab


def _unesc(s: str) -> str:
    import html

    return html.unescape(s)
