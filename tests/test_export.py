"""Exports: PNG at 1920x1080 and not blank, SVG vector with title and source, CSV = figure data,
PPTX opens with the expected slides. Real kaleido with Debian's Chromium."""

import io
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from conftest import cli

from indicators import charts, export
from indicators.filters import Filters


@pytest.fixture(scope="module")
def chart():
    return charts.build("seizures_by_component", Filters(basis="fiscal"), None, None)


def _png_array(data: bytes) -> np.ndarray:
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # decode with the stdlib: find IHDR and IDAT chunks
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = (
                int.from_bytes(body[:4], "big"),
                int.from_bytes(body[4:8], "big"),
                body[8],
                body[9],
            )
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    ch = {2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * ch + 1
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(h, stride)[
        :, 1:
    ]  # filter bytes dropped: variance still meaningful
    return rows.reshape(h, w, ch), (w, h, depth)


def test_png_presentation_size_and_not_blank(chart):
    data = export.image(chart.fig, "png")
    arr, (w, h, depth) = _png_array(data)
    assert (w, h) == (1920, 1080) and depth == 8
    assert arr[..., :3].std() > 10  # real content, not a blank canvas


def test_svg_is_vector_with_title_and_source(chart):
    svg = export.image(chart.fig, "svg").decode()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "CBP fentanyl seizures by component" in text
    assert "Source: CBP" in text
    assert "<image" not in svg.split("<defs", 1)[0] or "data:image/png" not in svg  # no raster


def test_csv_equals_figure_data(chart):
    back = pd.read_csv(io.StringIO(export.chart_csv(chart)))
    assert list(back.columns) == [*chart.data.columns, "chart", "shows", "source", "notes"]
    assert back.quantity.sum() == pytest.approx(chart.data.quantity.sum(), abs=0.01 * len(back))
    assert len(back) == len(chart.data)


def test_a_csv_says_what_it_holds_in_words():
    """A downloaded CSV stood alone without its chart: no title, unit, source, drug or
    citizenship in it, codes ('synthetic_opioids'), 'change' without a unit, 367.5596790607412."""
    f = Filters(death_drug="cocaine", year_from=2020, year_to=2020)
    c = charts.build("deaths_provisional", Filters(), None, None)
    back = pd.read_csv(io.StringIO(export.chart_csv(c)))
    assert (back.chart.iloc[0], back.shows.iloc[0], back.source.iloc[0]) == (
        c.title,
        c.subtitle,
        c.source,
    )
    assert back.chart.iloc[1:].isna().all()  # said once, on the first row
    assert "Synthetic opioids (mostly fentanyl)" in set(
        back.drug
    ) and "synthetic_opioids" not in set(back.drug)
    assert pd.api.types.is_integer_dtype(back.deaths)  # whole counts, no '.0'
    m = charts.build("states_death_change_map", Filters(), None, None)
    back = pd.read_csv(io.StringIO(export.chart_csv(m)))
    assert "change (%)" in back.columns and "change" not in back.columns
    assert (back["change (%)"].dropna().round(2) == back["change (%)"].dropna()).all()
    stem = export.file_stem(
        "deaths_annual", charts.build("deaths_annual", f, None, None).title, f.range_label()
    )
    assert stem.startswith("cocaine") and stem.endswith("_2020"), stem


def test_csv_neutralises_formulas():
    df = pd.DataFrame(
        {"a": ["=1+1", "+SUM(A1)", "-2", "@cmd", "plain", "\tx"], "n": [1, 2, 3, 4, 5, 6]}
    )
    text = export.safe_csv(df)
    back = pd.read_csv(io.StringIO(text))
    assert back.a.tolist()[:4] == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd"]
    assert back.a.tolist()[4] == "plain" and back.n.tolist() == [1, 2, 3, 4, 5, 6]


def test_pptx_has_one_slide_per_chart():
    from pptx import Presentation

    built = [
        charts.build(n, Filters(), None, None) for n in ("deaths_annual", "seizures_by_component")
    ]
    deck = Presentation(io.BytesIO(export.pptx(built)))
    assert len(deck.slides) == 2
    for slide, c in zip(deck.slides, built, strict=True):
        pics = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pics) == 1
        assert c.title in " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "·" in slide.notes_slide.notes_text_frame.text  # the subtitle with filters


def test_cli_export_list_and_files(data_dir, tmp_path):
    r = cli("export", "--list")
    assert r.returncode == 0 and "seizures_by_component" in r.stdout
    out = tmp_path / "c.csv"
    r = cli(
        "export",
        "encounters_citizenship",
        "--where",
        "basis=fiscal",
        "--where",
        "citizenship=INDIA",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert set(df.component) == {  # the CSV holds what is drawn: the later years' total too
        "Office of Field Operations",
        "U.S. Border Patrol",
        "Ports of entry + Border Patrol together (from CBP's encounters by state)",
    } and 2023 in set(df.year)
    assert set(df.loc[df.table == "by State", "year"]) and not set(
        df.loc[df.table == "by State", "year"]
    ) & set(df.loc[df.table == "by area", "year"])  # never the same year from both files
    png = tmp_path / "c.png"
    assert cli("export", "deaths_annual", "--format", "png", "--out", str(png)).returncode == 0
    assert _png_array(png.read_bytes())[1][:2] == (1920, 1080)
    r = cli("export", "nope", "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and "unknown chart" in r.stderr
    r = cli("export", "deaths_annual", "--where", "colour=red", "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and "unknown chart filter" in r.stderr


def test_cli_export_pptx_all(data_dir, tmp_path):
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    r = cli("export", "all", "--format", "pptx", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert len(Presentation(str(out)).slides) == len(charts.CHARTS)


def test_cli_export_all_follows_the_filters(data_dir, tmp_path):
    """Charts the filters hide are not in the deck; slides keep page order and chart titles."""
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    r = cli(
        "export", "all", "--where", "agencies=CDC,OFO,USBP", "--format", "pptx", "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    slides = Presentation(str(out)).slides
    titles = [next(s.text_frame.text for s in sl.shapes if s.has_text_frame) for sl in slides]
    f = Filters.from_query({"agencies": "CDC,OFO,USBP"})
    want = [
        n for page in dict.fromkeys(s.page for s in charts.SPECS) for n in charts.shown(page, f)
    ]
    assert len(slides) == len(want) and not any("DEA" in t for t in titles)
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "Source: " in notes


def test_images_rendered_at_once_each_get_their_own_figure_and_format():
    """Two visitors' downloads at the same moment: the shared kaleido server answered one
    request at a time, and renders from four threads got each other's image or format (14 of
    24 in a reviewer's run: another visitor's chart in a journalist's download)."""
    import threading

    import plotly.graph_objects as go

    figs = {
        k: go.Figure(go.Bar(x=[1, 2], y=[1, 2]), layout={"title": f"TITLE-{k}"}) for k in "ABCD"
    }
    export.image(figs["A"], "svg")  # the server started
    wrong: list = []

    def work(k: str, fmt: str) -> None:
        for _ in range(3):
            out = export.image(figs[k], fmt)
            ok = (
                out.startswith(b"<svg") and f"TITLE-{k}".encode() in out
                if fmt == "svg"
                else out.startswith(b"\x89PNG")
            )
            if not ok:
                wrong.append((k, fmt, out[:12]))

    threads = [
        threading.Thread(target=work, args=a)
        for a in (("A", "svg"), ("B", "svg"), ("C", "png"), ("D", "svg"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_downloads_made_outside_the_session_use_the_sessions_preview_store(tmp_path):
    """Streamlit makes a download when it is clicked, outside the visitor's session (no
    session state): the PNG/SVG of a visitor previewing an upload showed the shared data
    while the page showed theirs. The session's store is taken when the box is drawn."""
    import threading

    from conftest import copy_data

    from indicators import ui
    from indicators.store import Store

    preview = Store(copy_data(tmp_path / "preview"))
    sz = preview.load("seizures")
    with preview.lock():  # the preview's fentanyl pounds, ten times the shared data's
        preview.commit(
            {"seizures": sz.assign(quantity=sz.quantity * 10)}, "test: a preview", kind="test"
        )
    f = Filters(basis="fiscal")
    mine = charts.build("seizures_by_component", f, preview, None)
    made = ui.downloads("seizures_by_component", f, mine, preview, None)
    out: dict = {}
    t = threading.Thread(target=lambda: out.update(svg=made["svg"](), csv=made["csv"]()))
    t.start()
    t.join()
    shared = export.image(
        charts.build("seizures_by_component", f, None, None, charts.style.EXPORT).fig, "svg"
    )
    own = export.image(
        charts.build("seizures_by_component", f, preview, None, charts.style.EXPORT).fig, "svg"
    )

    def words(svg: bytes) -> str:  # (the clip paths' ids differ from render to render)
        return " ".join(ET.fromstring(svg.decode()).itertext())

    assert words(shared) != words(own) and words(out["svg"]) == words(own)
    back = pd.read_csv(io.StringIO(out["csv"]))
    assert back.quantity.sum() == pytest.approx(mine.data.quantity.sum(), rel=1e-4)


def test_a_decks_notes_and_a_csv_name_the_years_drawn_as_the_image_does():
    """The slide's notes (and the CSV's 'shows') said '2015-2026', the years chosen, while the
    slide's image said '2019-2025', the years drawn."""
    import html
    import re

    c = charts.build("encounters_by_component", Filters(), None, None)
    drawn = html.unescape(re.sub(r"<br>", " ", c.fig.layout.title.subtitle.text))
    assert c.subtitle == drawn and "2015-2026" not in drawn
    from pptx import Presentation

    deck = Presentation(io.BytesIO(export.pptx([c])))
    assert drawn in deck.slides[0].notes_slide.notes_text_frame.text


def test_a_download_is_named_for_the_years_drawn():
    """Every file ended in the sidebar's '_2015-2026', whatever the chart drew (FY2020-FY2025)."""
    c = charts.build("states_encounters_by_year", Filters(), None, None)
    assert export.years_drawn(c.subtitle) == "FY2020-FY2025"
    m = charts.build("states_death_change_map", Filters(), None, None)
    assert export.years_drawn(m.subtitle) == ""  # two months compared: no span of years


def test_a_states_csv_names_each_state():
    """The states' CSVs held postal codes only (AZ, WV, US, DC)."""
    c = charts.build("states_deaths_trend", Filters(states=("WV", "DC")), None, None)
    back = pd.read_csv(io.StringIO(export.chart_csv(c)))
    names = dict(zip(back.geo, back.geo_name, strict=True))
    assert names == {"WV": "West Virginia", "DC": "District of Columbia", "US": "United States"}


def test_a_claim_cards_csv_carries_the_claim_and_its_verdict():
    """A card's CSV held the data's years and values but not the claim they were checked
    against, nor its verdict, which the card's image shows."""
    from indicators import claims

    ev = claims.evaluate_all()
    q = next(r for r in ev[ev.kind == "quantitative"].to_dict("records") if r["claim_id"] == "C03")
    back = pd.read_csv(io.StringIO(export.chart_csv(charts.claim_chart(q, None))))
    said = back["claims drawn"].iloc[0]
    assert said.startswith("C03 ") and str(q["verdict"]).replace("_", " ") in said
