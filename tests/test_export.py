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
    back = pd.read_csv(io.StringIO(export.safe_csv(chart.data)))
    assert list(back.columns) == list(chart.data.columns)
    assert back.quantity.sum() == pytest.approx(chart.data.quantity.sum())
    assert len(back) == len(chart.data)


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
