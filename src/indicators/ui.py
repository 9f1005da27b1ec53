"""Streamlit wiring shared by the pages: filters in the sidebar and the URL, chart display
with downloads, cached claim verdicts, and the store health check. No data logic here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from . import charts, derived, export, manifest, progressive, query
from .charts import Chart
from .claimcard import missing, one_line, safe_url, text  # noqa: F401 - pages use text, safe_url
from .filters import AGENCY_LABELS, ALL_AGENCIES, YEAR_MAX, YEAR_MIN, Filters, not_taken
from .store import Store

KEYS = [k for k in Filters().as_dict()]
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "width": 1280, "height": 720, "scale": 1.5},
}


def store() -> Store:
    return Store()


def tolerance() -> float:
    """The claims' tolerance this session chose (the claims page's slider; 10% until then)."""
    return float(st.session_state.get("tolerance", 0.10))


def claims_view(f: Filters) -> derived.ClaimsView:
    """The claims page's cards for the filters' article ('' for all), built once per store
    version, tolerance and mode (derived.claims_view; larger charts in presentation mode)."""
    return derived.claims_view(active_store(), tolerance(), f.article, f.present)


def claim_card(card: derived.Card) -> None:
    """One claim's card: its text beside the chart of the data it was checked against."""
    with st.container(border=True, key=f"card_{card.claim_id}"):
        left, right = st.columns([3, 2])
        left.markdown(card.markdown)
        if card.chart is not None and not progressive.hold(
            _height(card.chart), f"claimchart_{card.claim_id}", right
        ):
            right.plotly_chart(
                card.chart.drawn,
                key=f"claimchart_{card.claim_id}",
                theme=None,
                config=PLOTLY_CONFIG,
            )
            if not st.session_state.get("f_present"):
                with right:
                    _card_tools(card)


@st.fragment
def _card_tools(card: derived.Card) -> None:
    """A claim card's downloads, as a chart's (`_tools`): PNG/SVG laid out for a slide, the
    CSV of the numbers drawn; built only while open."""
    box = _lazy_box(
        "Downloads (PNG, SVG, CSV)", f"cardtools_{card.claim_id}", ":material/download:"
    )
    if box is None:
        return
    store = active_store()  # (a click runs outside the session: taken now)

    def fig():
        return charts.claim_chart(card.claim, store, charts.style.EXPORT).fig

    make = {
        "png": lambda: export.image(fig(), "png"),
        "svg": lambda: export.image(fig(), "svg"),
        "csv": lambda: export.chart_csv(card.chart),
    }
    stem = export.file_stem(f"claim_{card.claim_id}", f"claim {card.claim_id} {card.chart.title}")
    with box:
        _download_buttons(make, stem, f"card_{card.claim_id}", st.columns(3))


def version() -> str:
    """The version of the store this session sees (its preview store's, in preview mode)."""
    return (active_store() or store()).fingerprint()


def active_store() -> Store | None:
    """The uploader's private preview store when preview mode is on, else the shared one."""
    preview = st.session_state.get("preview_store")
    return Store(preview) if preview else None


def init_state() -> None:
    """Load filters from the URL once per session; keep page widgets' values across pages."""
    if "qp_loaded" not in st.session_state:
        qp = st.query_params.to_dict()
        f = Filters.from_query(qp)
        st.session_state["url_not_taken"] = not_taken(qp, _known_values(qp))
        for k, v in f.as_dict().items():
            st.session_state[f"f_{k}"] = list(v) if isinstance(v, tuple) else v
        st.session_state["qp_loaded"] = True
    for k in KEYS:  # keeps values of widgets that are not on the current page
        if f"f_{k}" in st.session_state:
            st.session_state[f"f_{k}"] = st.session_state[f"f_{k}"]


def filters() -> Filters:
    kw = {}
    for k in KEYS:
        if f"f_{k}" in st.session_state:
            v = st.session_state[f"f_{k}"]
            kw[k] = tuple(v) if isinstance(getattr(Filters, k, None), tuple) else v
    return Filters(**kw).clamped()


def sync_url(page_path: str) -> None:
    """Write the filters to the URL when a widget changed them.

    Not in a run that switched pages: the links already carried the filters, and the
    browser would apply a query-string update to the previous page's path.
    """
    switched = st.session_state.get("_last_page") not in (None, page_path)
    st.session_state["_last_page"] = page_path
    want = filters().to_query()
    if not switched and want != st.query_params.to_dict():
        st.query_params.from_dict(want)


def _known_values(qp: dict) -> dict[str, set[str]]:
    """The values a link may ask for that the pages take from the data (a page resets another
    silently): citizenships, regions, months, fiscal years, state-map years."""
    from . import states
    from .series import LAND_REGION

    known: dict[str, set[str]] = {}
    if "citizenship" in qp:
        known["citizenship"] = set(query.distinct("encounters", "citizenship", active_store()))
    if "region" in qp:
        known["region"] = {"", *LAND_REGION, *LAND_REGION.values()}  # either page's names
    if {"change_from", "change_to"} & set(qp):
        months = {m.strftime("%Y-%m") for m in states.death_months(active_store())}
        known["change_from"] = known["change_to"] = months | {""}
    if {"enc_from", "enc_to"} & set(qp):
        years = {str(y) for y in states.encounter_years(active_store())}
        known["enc_from"] = known["enc_to"] = years | {"0"}
    if "state_year" in qp:
        yrs = derived.death_state_years(active_store())
        known["state_year"] = {str(y) for y in (*yrs["final"], *yrs["provisional"])}
    return known


def url_notice(page_path: str) -> None:
    """What the link asked for and did not get, said at the top of the first page it opened
    (a mistyped shared link otherwise showed another view as if asked for), in words."""
    lost = st.session_state.get("url_not_taken")
    if not lost:
        return
    first = st.session_state.setdefault("url_page", page_path)
    if page_path != first:
        return
    said = [f"{k}={v}: " + (f"not one of the choices; shown: {_value_words(k, got)}" if got is not None else "not known")
            for k, v, got in lost]  # fmt: skip
    st.warning(text("This link asks for what the dashboard does not offer, so the view differs: " + "; ".join(said) + "."),
               icon=":material/link_off:")  # fmt: skip


def _value_words(name: str, value: object) -> str:
    """A filter's value as the page's widgets say it ('pounds', 'calendar year', 'All drugs')."""
    words = {
        "basis": {"calendar": "calendar year", "fiscal": "federal fiscal year"},
        "measure": {"quantity": "pounds", "events": "seizure events"},
        "state_measure": {"rate": "per 100,000", "count": "deaths"},
        "grid_y": {"shared": "shared y-axes", "free": "free y-axes"},
        "grid_sort": {"rate": "by rate", "change": "by change", "name": "by name"},
        "dimension": charts.encounters.DIMENSIONS,
    }
    if name in words:
        return str(words[name].get(value, value))
    if name in ("drug", "death_drug"):
        return charts.style.label(name, str(value))
    return str(value) if value not in ("", 0) else "the default"


def default_article(article_ids: list[str]) -> None:
    if article_ids and st.session_state.get("f_article") not in article_ids:
        st.session_state["f_article"] = article_ids[0]


def nav(pages: list) -> None:
    """Sidebar links to every page, carrying the current filters as query parameters.

    (Streamlit's own navigation drops the query string when switching pages.)
    """
    qp = filters().to_query()
    for p in pages:
        st.sidebar.page_link(p, query_params=qp)
    st.sidebar.divider()


def sidebar(article_ids: list[str]) -> None:
    """The filters shared by every page."""
    sb = st.sidebar
    sb.header("Filters")
    sb.radio(
        "Year basis",
        ["calendar", "fiscal"],
        key="f_basis",
        format_func=lambda b: (
            "Calendar year" if b == "calendar" else "Federal fiscal year (Oct-Sep)"
        ),
        help="CBP publishes by fiscal year and month; monthly data are re-bucketed. CDC and DEA annual figures are calendar years and keep that basis.",
    )
    y0, y1 = st.session_state.get("f_year_from", 2015), st.session_state.get("f_year_to", YEAR_MAX)
    years = sb.slider("Years", YEAR_MIN, YEAR_MAX, (int(y0), int(y1)), key="years_slider")
    st.session_state["f_year_from"], st.session_state["f_year_to"] = years
    sb.multiselect(
        "Agencies and components",
        list(ALL_AGENCIES),
        key="f_agencies",
        format_func=lambda a: AGENCY_LABELS[a],
    )
    sb.divider()
    sb.toggle("Show article claims on charts", key="f_claims")
    if article_ids:
        held = query.load("claims", active_store())
        titles = dict(zip(held["article_id"], held["article_title"], strict=True))
        sb.selectbox(
            "Article",
            article_ids,
            key="f_article",
            format_func=lambda a: str(titles.get(a) or a),
            help="The article whose claims and events the charts show (Article claims page).",
        )
    sb.toggle(
        "Presentation mode",
        key="f_present",
        help="Hides the app chrome and enlarges charts for a projector or a clean screenshot.",
    )
    if st.session_state.get("preview_store"):
        sb.warning("Preview mode: you are looking at your uploaded data, not the shared data.")


def presentation_css() -> None:
    st.markdown(
        "<style>[data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stToolbar'],footer,"
        "[data-testid='stSidebarCollapsedControl']{display:none !important}"
        " .block-container{max-width:100% !important;padding:0.5rem 1rem 1rem 1rem !important}</style>",
        unsafe_allow_html=True,  # static CSS of ours; no user text
    )


def exit_presentation() -> None:
    """At the very end of the page, out of every chart's screenshot."""
    st.divider()
    if st.button("Exit presentation mode", type="tertiary"):
        st.session_state["f_present"] = False
        st.rerun()


def chart_claims(f: Filters) -> pd.DataFrame | None:
    if not f.claims:
        return None
    return derived.article_claims(active_store(), tolerance(), f.article)


def built(name: str, f: Filters) -> Chart:
    """The chart for these filters, built once per (chart, the filters it reads, store
    version, claims) in this process (charts.built)."""
    s = active_store()
    version = (s or store()).fingerprint()
    claims_key = charts.claims_key(version, tolerance(), f.article)
    key = charts.cache_key(name, f, version, claims_key)
    return charts.built(key, name, f, s, lambda: chart_claims(f) if f.claims else None)


def show(name: str, f: Filters | None = None) -> Chart | None:
    """Build and draw a named chart, with PNG/SVG/CSV downloads and its data one click away.
    A chart the filters rule out says why instead."""
    f = f or filters()
    why = charts.CHARTS[name].needs(f)
    if why:
        st.info(why)
        return None
    chart = built(name, f)
    if not progressive.hold(_height(chart), f"chart_{name}"):  # held: comes in the next run
        st.plotly_chart(
            chart.drawn,
            key=f"chart_{name}",
            theme=None,
            config={
                **PLOTLY_CONFIG,
                "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": name},
            },
        )
    if not f.present:
        _tools(name, f, chart)
    return chart


def month_words(m: str) -> str:
    """'2024-12' -> 'December 2024' (a month picker's option in words)."""
    try:
        return dt.date.fromisoformat(m + "-01").strftime("%B %Y")
    except ValueError:
        return m


def _height(chart: Chart) -> int:
    """The height Streamlit gives the chart's element: its figure's, in pixels."""
    return int(chart.spec["layout"].get("height") or 450)


def _lazy_box(label: str, key: str, icon: str):
    """An expander whose content is built only while it is open (None when closed)."""
    box = st.expander(label, key=key, on_change="rerun", icon=icon)
    return box if box.open else None


@st.fragment
def _tools(name: str, f: Filters, chart: Chart) -> None:
    """Downloads (PNG/SVG for slides, CSV of exactly the numbers drawn) and the data table,
    one click away. Built only while open (Streamlit's lazy expander), in a fragment: opening
    or closing it reruns this box alone, and a closed box is one element on every rerun
    instead of nine (the browser's work per filter change grows with the elements it gets).
    """
    box = _lazy_box("Data and downloads (PNG, SVG, CSV)", f"tools_{name}", ":material/download:")
    if box is None:
        return
    with box:
        make = downloads(name, f, chart, active_store(), chart_claims(f))
        stem = export.file_stem(name, chart.title, export.years_drawn(chart.subtitle))
        _download_buttons(make, stem, name, st.columns([1, 1, 1, 4])[:3])
        out, config = readable(chart.data)
        st.dataframe(out, column_config=config, hide_index=True, key=f"table_{name}")


def _download_buttons(make: dict, stem: str, key: str, cols: list) -> None:
    """The PNG, SVG and CSV buttons of a chart's or a claim card's box."""
    for col, fmt, mime, tip in (
        (cols[0], "png", "image/png", "1920x1080, for slides"),
        (cols[1], "svg", "image/svg+xml", None),
        (cols[2], "csv", "text/csv", "Exactly the numbers drawn, with the chart's title, unit and source"),
    ):  # fmt: skip
        col.download_button(fmt.upper(), data=make[fmt], file_name=f"{stem}.{fmt}", mime=mime,
                            key=f"{fmt}_{key}", on_click="ignore", help=tip)  # fmt: skip


def downloads(
    name: str, f: Filters, chart: Chart, store: Store | None, claims: pd.DataFrame | None
) -> dict[str, Callable[[], bytes | str]]:
    """What each download button makes when clicked. Streamlit calls them outside the
    visitor's session (no session state there), so the session's store (a private preview)
    and its claims (their tolerance) are taken now, when the box is drawn."""

    def fig():  # the chart laid out for a 1280x720 slide
        return charts.build(name, f, store, claims, charts.style.EXPORT).fig

    return {
        "png": lambda: export.image(fig(), "png"),
        "svg": lambda: export.image(fig(), "svg"),
        "csv": lambda: export.chart_csv(chart),
    }


YEARISH = ("year", "fiscal_year", "month", "months", "state_year", "base_year")


def _header(column: object) -> str:
    words = " ".join(str(column).replace("_", " ").split())
    return words[:1].upper() + words[1:]


def readable(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Headers in words, floats rounded, numbers with thousands separators (years without)."""
    out = export.display_frame(df)
    config = {}
    names = {}
    for c in out.columns:
        words = _header(c)
        names[c] = words
        if c in YEARISH:
            continue
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].astype(float).round(1)
            config[words] = st.column_config.NumberColumn(format="localized")
        elif pd.api.types.is_integer_dtype(out[c]):
            config[words] = st.column_config.NumberColumn(format="localized")
    return out.rename(columns=names), config


_TABLES: OrderedDict[str, tuple[pd.DataFrame, dict]] = OrderedDict()


def table(df: pd.DataFrame | Callable[[], pd.DataFrame], cache: str = "", **kw) -> None:
    """st.dataframe of a display-safe, readable copy: text that a spreadsheet would run as a
    formula (=, +, -, @) is prefixed with an apostrophe, so the toolbar's own CSV download is
    safe too; headers in words; thousands separators. With `cache` (a string that changes
    whenever the table's content would), the readable copy is made once, not on every rerun;
    `df` may then be a function that makes the frame."""
    out, config = _made(_TABLES, cache, readable, df)
    st.dataframe(out, column_config={**config, **kw.pop("column_config", {})}, **kw)


def _made(kept: OrderedDict, cache: str, make: Callable, df) -> object:
    """make(df) once per `cache` string (the last 300 kept), or on every call without one."""
    made = kept.get(cache) if cache else None
    if made is None:
        made = make(df() if callable(df) else df)
        if cache:
            kept[cache] = made
            while len(kept) > 300:
                kept.popitem(last=False)
    return made


_MD_TABLES: OrderedDict[str, str] = OrderedDict()


def markdown_table(df: pd.DataFrame | Callable[[], pd.DataFrame], cache: str = "") -> None:
    """A small table as one inert Markdown block: headers in words, numbers with thousands
    separators (years without), every cell escaped. For the few short tables a chart page
    shows as it opens: a data grid is the heaviest element a page can load, and made the
    overview's chart come about 0.3 s later for a new visitor (bench/README.md)."""
    st.markdown(_made(_MD_TABLES, cache, _markdown_table, df))


def _cell(v: object, year: bool) -> str:
    if hasattr(v, "item") and not isinstance(v, pd.Timestamp):
        v = v.item()  # numpy scalar -> Python
    if missing(v):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v) if year else f"{v:,}"
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        return f"{v:.0f}" if year else f"{v:,.1f}"
    if isinstance(v, dt.datetime | dt.date):
        timed = isinstance(v, dt.datetime) and v.time() != dt.time(0)
        return f"{v:%Y-%m-%d %H:%M}" if timed else f"{v:%Y-%m-%d}"
    return one_line(v)


def _markdown_table(df: pd.DataFrame) -> str:
    """Values as stored (no spreadsheet-formula apostrophes: nothing here is a CSV)."""
    if df.columns.empty:
        return ""
    years = [c in YEARISH for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]  # fmt: skip
    rows = [
        "| " + " | ".join(text(_header(c)) or " " for c in df.columns) + " |",
        "|" + "|".join("--:" if n else "---" for n in numeric) + "|",
    ]
    for rec in df.itertuples(index=False):
        cells = [_cell(v, y) for v, y in zip(rec, years, strict=True)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def headlines() -> list[dict]:
    """The overview's headline figures, computed once per store version."""
    return derived.headlines(active_store())


def freshness() -> pd.DataFrame:
    return derived.freshness(active_store())


def freshness_table() -> pd.DataFrame:
    """The overview's data-freshness table in words: each source by its dataset's title."""
    fr = freshness()
    if fr.empty:
        return pd.DataFrame(columns=["dataset", "table", "rows", "vintage", "periods_in_use"])
    titles = {k: e["title"] for k, e in manifest.by_id().items()}
    return pd.DataFrame(
        {
            "dataset": fr.source_id.map(titles).fillna(fr.source_id),
            "table": fr.table.str.replace("_", " ").str.capitalize(),
            "rows": fr.rows,
            "vintage": fr.vintage,
            "periods_in_use": fr.periods,
        }
    )


FRESHNESS_NOTE = (
    "Where two files hold the same series for the same months, the newer file's values are the "
    "ones in use, so an older file's periods in use can end before the period its title names."
)


def year_totals(df: pd.DataFrame, basis: str, value: str, label: str) -> pd.DataFrame:
    """A table of yearly totals (`series.with_coverage`) in words: the year named on its basis
    (FY2024 for fiscal years), the total, and which months a partial year holds."""
    fiscal = basis == "fiscal"
    months = [
        f"{m} of 12: {lab}" if part else "12"  # the table escapes each cell
        for m, lab, part in zip(df.months, df.months_label, df.partial, strict=True)
    ]
    return pd.DataFrame(
        {
            "Federal fiscal year (Oct-Sep)" if fiscal else "Calendar year": [
                f"FY{y}" if fiscal else str(y) for y in df.year
            ],
            label: df[value].to_numpy(),
            "Months with data": months,
        }
    )


def store_problems() -> list[str]:
    s = store()
    return _store_problems(s.fingerprint())


@st.cache_data(show_spinner=False, max_entries=4)
def _store_problems(fingerprint: str) -> list[str]:
    s = store()
    problems = s.verify()
    if problems:
        good = s.last_sound_version()
        problems.append(
            f"Recover with `uv run indicators rollback {good}`"
            if good
            else "Rebuild with `uv run indicators build`"
        )
    return problems


def clear_caches() -> None:
    query.clear_cache()
    st.cache_data.clear()


def ensure_entrypoint() -> None:
    """Make sure a page runs under app.py's navigation (sidebar filters, URL state).

    Streamlit decides at server start that an app with a `pages/` folder uses the legacy
    multipage mode, and only leaves it when a session calls st.navigation. If the first
    request after a start is a deep link (e.g. /seizures?basis=fiscal), Streamlit runs the
    page file alone. This switches the legacy mode off and reruns, so app.py runs and
    resolves the same URL. (Streamlit internals: PagesManager.uses_pages_directory.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def deck(page: str) -> None:
    """Pick charts this page shows (all by default) and download them as a .pptx slide deck,
    in page order, each slide titled as its chart, with sources and notes as speaker notes."""
    f = filters()
    names = charts.shown(page, f)
    if not f.present and names:
        _deck(page, f, names)


@st.fragment
def _deck(page: str, f: Filters, names: list[str]) -> None:
    """Lazy like each chart's tools: built only while open, rerun alone."""
    box = _lazy_box(
        "Slide deck (.pptx) of this page's charts", f"deckbox_{page}", ":material/slideshow:"
    )
    if box is None:
        return
    with box:
        picked = st.multiselect(
            "Charts",
            names,
            default=names,
            key=f"deck_{page}",
            format_func=lambda n: charts.CHARTS[n].title,
        )

        store, claims = active_store(), chart_claims(f)  # (the click runs outside the session)

        def make() -> bytes:
            built = [
                charts.build(n, f, store, claims, charts.style.EXPORT) for n in names if n in picked
            ]
            return export.pptx(built)

        st.download_button("Download .pptx", data=make, file_name=f"{export.file_stem(page, 'drug-indicators ' + page, f.range_label())}.pptx", key=f"deckdl_{page}",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", on_click="ignore")  # fmt: skip
