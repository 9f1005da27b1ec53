"""Exports of what a chart displays: PNG (1920x1080), SVG, CSV (formula cells neutralised), PPTX.

Images are rendered by kaleido with the system Chromium (/usr/bin/chromium, or $BROWSER_PATH).
One kaleido server is started per process and reused, so each image after the first takes
a fraction of a second instead of launching a browser. That server answers one request at a
time: two renders at once (two visitors' downloads) got each other's image or format, so
every render holds `_render_lock`.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .contract import GEO_NAMES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SLIDE_W, SLIDE_H = 1920, 1080
_server_lock = threading.Lock()
_render_lock = threading.Lock()  # one render at a time through the shared kaleido server
_server_started = False


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot run as spreadsheet formulas."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def safe_csv(df: pd.DataFrame) -> str:
    return display_frame(df).to_csv(index=False, date_format="%Y-%m-%d")


# codes a reader would meet in a CSV, in the words the charts use
_WORD_COLUMNS = ("drug", "citizenship", "demographic")
_PERCENT_COLUMNS = {"change": "change (%)", "share": "share (%)"}


def chart_csv(chart) -> str:
    """The CSV of exactly the numbers a chart draws, made to stand alone: codes in words (drugs,
    citizenships), percentages named as such, numbers rounded to 2 decimals (whole counts
    without '.0'), and the chart's title, what it shows (its subtitle: filters, unit,
    period), its source and notes in columns of the first row."""
    from .charts import overlays, style

    out = chart.data.copy()
    for col in _WORD_COLUMNS:
        if col in out.columns:  # (a deaths chart's drug codes are the death categories')
            deaths = col == "drug" and out[col].isin(list(style.DEATH_DRUG_WORDS)).all()
            dim = "death_drug" if deaths else col
            out[col] = out[col].map(
                lambda v, dim=dim: style.label(dim, v) if isinstance(v, str) else v
            )
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            v = out[col].astype(float)
            whole = v.dropna()
            out[col] = (
                v.round(0).astype("Int64")
                if len(whole) and (whole == whole.round(0)).all()
                else v.round(2)
            )
    out = out.rename(columns=_PERCENT_COLUMNS)
    for col in ("geo", "state"):  # a state's name beside its postal code
        if col in out.columns and out[col].isin(list(GEO_NAMES)).all():
            out.insert(out.columns.get_loc(col) + 1, f"{col}_name", out[col].map(GEO_NAMES))
    claimed = [
        overlays.claim_words(c, style.number)
        for c in chart.claims_shown
        if c.get("kind") == "quantitative"
    ]
    about = {
        "chart": chart.title,
        "shows": chart.subtitle,
        "source": chart.source,
        "notes": " | ".join(chart.notes),
        **({"claims drawn": " | ".join(claimed)} if claimed else {}),  # (a card's: its verdict)
    }
    for k, v in about.items():
        out[k] = [v] + [""] * (len(out) - 1) if len(out) else []
    return safe_csv(out)


def years_drawn(subtitle: str) -> str:
    """'FY2020-FY2025' from a subtitle that begins with the years drawn ('FY2020-FY2025,
    federal fiscal years · ...'); '' when it names none that way (a map of two months)."""
    import re

    m = re.search(r"\b((?:FY)?\d{4}(?:-(?:FY)?\d{4})?), (?:calendar|federal fiscal) year", subtitle)
    return m.group(1) if m else ""


def file_stem(name: str, title: str, years: str = "") -> str:
    """'fentanyl-seizures-by-component_FY2019-FY2026': a download's file name says what it
    holds (the chart's title, in words, and the years), not only which chart it is."""
    import re

    words = re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")[:70].rstrip("-") or name
    years = re.sub(r"[^A-Za-z0-9-]+", "", years.replace(" ", "-"))
    return f"{words}_{years}" if years else words


def _ensure_server() -> None:
    global _server_started
    if _server_started:
        return
    with _server_lock:
        if _server_started:
            return
        import kaleido

        if not os.environ.get("BROWSER_PATH") and Path("/usr/bin/chromium").exists():
            os.environ["BROWSER_PATH"] = "/usr/bin/chromium"
        kaleido.start_sync_server(silence_warnings=True)
        _server_started = True


def image(fig: go.Figure, fmt: str = "png", width: int = SLIDE_W, height: int = SLIDE_H) -> bytes:
    """PNG or SVG bytes of a figure at presentation size (layout 1280x720, scaled to width)."""
    _ensure_server()
    base_w = 1280
    scale = width / base_w
    f = go.Figure(fig)
    f.update_layout(width=base_w, height=int(height / scale), paper_bgcolor="#ffffff")
    with _render_lock, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        if fmt == "svg":
            return f.to_image(format="svg", width=base_w, height=int(height / scale))
        return f.to_image(format=fmt, width=base_w, height=int(height / scale), scale=scale)


def pptx(items: list, title: str = "drug-indicators") -> bytes:
    """A slide deck: one slide per chart with its image, title, source notes and claim verdicts."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    blank = prs.slide_layouts[6]
    for chart in items:
        slide = prs.slides.add_slide(blank)
        png = image(chart.fig, "png")
        slide.shapes.add_picture(
            io.BytesIO(png), 0, 0, width=prs.slide_width, height=prs.slide_height
        )
        box = slide.shapes.add_textbox(Emu(0), Emu(0), Emu(10), Emu(10))
        box.name = "chart-title"  # the image shows the title; this keeps it searchable
        box.text_frame.text = chart.title
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(1)
        notes = [chart.title, chart.subtitle, f"Source: {chart.source}", *chart.notes]
        for c in chart.claims_shown:
            if c.get("kind") == "quantitative":
                notes.append(
                    f"Claim {c['claim_id']} ({c.get('verdict', '')}): \u201c{c['quote']}\u201d \u2014 {c.get('explanation', '')}"
                )
            else:
                notes.append(
                    f"Event {c['claim_id']} {c.get('event_date', '')}: {c.get('label', '')}"
                )
        slide.notes_slide.notes_text_frame.text = "\n".join(n for n in notes if n)
    core = prs.core_properties
    core.title = title
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def chart_list() -> list[tuple[str, str]]:
    from .charts import CHARTS

    return [(n, s.title) for n, s in CHARTS.items()]


def export_chart(
    name: str, where: list[tuple[str, str]], fmt: str, out: Path, claims: bool = True
) -> Path:
    """Render a named chart with filters (the URL's names) to a file, without a browser session."""
    from . import charts
    from . import claims as claims_mod
    from .filters import from_where

    f = from_where(where)
    if not claims:
        f = f.with_(claims=False)
    evaluated = claims_mod.evaluate_all(article=f.article or None) if f.claims else None
    if name == "all":
        names = [
            n for page in dict.fromkeys(s.page for s in charts.SPECS) for n in charts.shown(page, f)
        ]
    else:
        names = [name]
    built = [charts.build(n, f, None, evaluated, charts.style.EXPORT) for n in names]
    out = Path(out)
    if fmt == "pptx":
        out.write_bytes(pptx(built))
    elif fmt == "csv":
        if len(built) > 1:
            raise KeyError("CSV export takes one chart, not 'all'")
        out.write_text(chart_csv(built[0]))
    elif fmt in ("png", "svg"):
        if len(built) > 1:
            raise KeyError(f"{fmt} export takes one chart, not 'all'")
        out.write_bytes(image(built[0].fig, fmt))
    else:
        raise KeyError(f"unknown format {fmt!r}")
    return out
