"""The Article claims page (AppTest) and the article save/preview helpers behind it.

(AppTest does not register button clicks on this multipage app, so the confirm-and-save flow
itself runs in a real browser: tests/test_browser_claims.py.)"""

import pytest
from apphelpers import app, errors, shown_text, widget

from indicators import articles, claims, extract, query
from indicators.errors import InputError
from indicators.store import Store

TEXT = (
    "WASHINGTON - Border Patrol agents arrested over 24,000 Chinese nationals in the 2023 fiscal year, "
    "officials said on Tuesday at 10 a.m. The agency's budget is $3.2 billion. "
    "CBP seized over 27,000 pounds of fentanyl in fiscal 2023."
)
META = {"article_title": "Border numbers", "article_outlet": "Test Wire", "article_date": "2024-10-15",
        "article_url": "https://example.org/border"}  # fmt: skip


def test_claims_page_shows_vintages_variants_and_claimreview_download():
    at = app("claims")
    assert errors(at) == []
    labels = [getattr(b, "label", "") for b in at.get("download_button")]
    assert "ClaimReview (schema.org JSON-LD) of the checked claims" in labels
    # each card's verdict under every choice: a table of the card's Markdown
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in shown_text(at).splitlines()
        if line.startswith("| ") and "|" in line[2:]
    ]
    verdict_cells = {r[2] for r in rows if len(r) == 4 and r[2] != "Verdict"}
    assert "not comparable (context only)" in verdict_cells  # C04/C05 full-year variants
    assert "overstated" in verdict_cells  # C09 Title 8 only
    texts = shown_text(at)
    assert (
        "Data compared: CBP Nationwide Encounters by Area of Responsibility, FY2020-FY2024 (data to 2024-09)"
        in texts
    )
    assert "@" not in texts.split("Check any article")[0]  # no source ids (id@vintage) on the cards
    assert "data published after the article" in texts
    assert at.text_area(key="ck_text") is not None and at.button(key="ck_find").disabled


def test_claims_page_lists_every_dated_event_with_its_dates_and_source():
    at = app("claims")
    stored = query.load("claims")
    first = sorted(stored.article_id.unique())[0]  # the article the page opens on
    events = stored[(stored.kind == "event") & (stored.article_id == first)]
    assert len(events) > 0
    cells = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in shown_text(at).splitlines()
        if line.startswith("| ")
    ]
    rows = {r[1]: r[1:] for r in cells if len(r) > 2 and r[1].startswith("E")}
    assert set(rows) == set(events.claim_id)
    for e in events.itertuples():
        when = e.event_date + (f" to {e.event_end}" if e.event_end else "")
        assert rows[e.claim_id][1:3] == [when, e.label]
        assert rows[e.claim_id][5] == f"[link]({e.evidence_url})"
    # numbered 1, 2, ... in date order, as over the charts' event lines
    numbers = {r[1]: r[0] for r in cells if len(r) > 2 and r[1].startswith("E")}
    in_order = events.sort_values(["event_date", "claim_id"]).claim_id.tolist()
    assert [numbers[c] for c in in_order] == [str(i) for i in range(1, len(in_order) + 1)]


def test_presentation_mode_draws_the_cards_charts_larger():
    """On a projector a card's chart is read from across the room: presentation mode draws
    it in larger type and taller, and without the app's pointer to its Sources page."""
    from apphelpers import figures

    normal = figures(app("claims"))
    at = app("claims", query={"present": "1"})
    assert errors(at) == []
    big = figures(at)
    assert len(big) == len(normal) >= 10  # every card's chart, in both modes
    for small, large in zip(normal, big, strict=True):
        assert large["layout"]["title"]["text"] == small["layout"]["title"]["text"]
        assert large["layout"]["font"]["size"] > small["layout"]["font"]["size"]
        assert large["layout"]["height"] > small["layout"]["height"]
        foot = [a["text"] for a in large["layout"]["annotations"] if a.get("name") == "source"]
        assert foot and "Sources &amp; methods" not in foot[0]
    # a slide: the cards, no tabs, controls or downloads; the verdicts at the tolerance chosen
    assert not at.tabs and not at.get("download_button")
    assert not [w for w in at.slider if w.key == "tolerance_pct"]
    assert not [t for t in at.text_area if t.key == "ck_text"]
    normal = app("claims")
    widget(normal, "tolerance_pct").set_value(1).run()
    assert {m.label: m.value for m in normal.get("metric")}["Contradicted"] == "2"
    normal.session_state["f_present"] = True
    normal._sidebar_state["f_present"] = True
    normal.run()
    assert not [w for w in normal.slider if w.key == "tolerance_pct"] and errors(normal) == []
    assert {m.label: m.value for m in normal.get("metric")}["Contradicted"] == "2"  # still 1%
    normal._sidebar_state["f_present"] = False
    normal.session_state["f_present"] = False
    normal.run()  # back from the slide: the slider shows the same tolerance
    assert widget(normal, "tolerance_pct").value == 1
    assert {m.label: m.value for m in normal.get("metric")}["Contradicted"] == "2"


def _rows(store):
    props = extract.extract(TEXT, META["article_date"], store)
    frame = articles.proposals_frame(props)
    assert list(frame.claimed_value) == [24_000, 27_000] and frame.confirm.all()
    return frame, articles.rows_from_frame(frame, META)


def test_rows_follow_the_editors_corrections(store):
    frame, rows = _rows(store)
    assert [r["claim_id"] for r in rows] == ["C01", "C02"]
    assert rows[0]["article_id"] == "2024-10-border-numbers"
    assert (
        rows[0]["filters"] == "component=U.S. Border Patrol;citizenship=CHINA, PEOPLES REPUBLIC OF"
    )
    edited = frame.copy()
    edited.loc[0, "claimed_value"] = 30_000  # the editor corrects a value...
    edited.loc[1, "confirm"] = False  # ...and drops a proposal
    (row,) = articles.rows_from_frame(edited, META)
    (ev,) = articles.evaluate_rows([row], store).to_dict("records")
    assert ev["claimed_value"] == 30_000 and ev["data_value"] == 24_125
    assert ev["verdict"] == claims.compare(24_125, 30_000, "over")[0] == "contradicted"


def test_preview_is_private_and_save_is_versioned(store, data_dir):
    _, rows = _rows(store)
    before = store.current().number
    pv = articles.preview_store(rows, store)
    assert set(claims.evaluate_all(pv, article="2024-10-border-numbers").verdict) == {"supported"}
    assert store.current().number == before
    assert "2024-10-border-numbers" not in set(query.load("claims", store).article_id)
    v = articles.save(rows, TEXT, store)
    assert (
        v.number == before + 1 and "article 2024-10-border-numbers: 2 claims" in v.meta["message"]
    )
    saved = claims.evaluate_all(store, article="2024-10-border-numbers")
    assert list(saved.verdict) == ["supported", "supported"]
    assert len(claims.evaluate_all(store, article="epoch-2024-09-ccp-drug-network")) == 23
    (text_file,) = (data_dir / "articles").iterdir()
    assert text_file.read_text() == TEXT and text_file.name in v.meta["message"]
    # saving the same claims again changes nothing; a corrected set replaces the article's rows
    assert articles.save(rows, TEXT, store) is None
    v3 = articles.save(rows[:1], TEXT, store)
    assert v3.number == before + 2
    assert list(
        query.load("claims", store).query("article_id == '2024-10-border-numbers'").claim_id
    ) == ["C01"]
    store.rollback(v.number)
    assert (
        len(query.load("claims", Store(data_dir)).query("article_id == '2024-10-border-numbers'"))
        == 2
    )


def test_preview_mode_follows_the_tolerance(store):
    """In preview mode the cards and counts are those of the private store, at the tolerance
    the slider sets (they were evaluated at the default 10% whatever the slider said)."""
    _, rows = _rows(store)
    pv = articles.preview_store(rows, store)
    at = app("claims")
    at.session_state["preview_store"] = str(pv.root)
    at.run()
    assert errors(at) == []
    assert any("Preview mode is on" in w.value for w in at.warning)
    # the page opens on the seed article, in the private store too: C02 misses by 3%,
    # overstated at the default 10%...
    counts = {m.label: m.value for m in at.get("metric")}
    assert (counts["Overstated"], counts["Contradicted"]) == ("1", "1")
    # ...and contradicted at 1%
    widget(at, "tolerance_pct").set_value(1).run()
    counts = {m.label: m.value for m in at.get("metric")}
    assert (counts["Overstated"], counts["Contradicted"]) == ("0", "2")
    assert "C02** · verdict: **contradicted" in shown_text(at)


def test_nothing_to_save_and_bad_rows_are_refused(store):
    with pytest.raises(ValueError, match="no confirmed claims"):
        articles.save([], TEXT, store)
    _, rows = _rows(store)
    rows[0]["year_start"] = "twenty"
    with pytest.raises((InputError, ValueError)):
        articles.save(rows, TEXT, store)


def test_cards_name_hidta_as_the_charts_do():
    """The charts and the sidebar say "Law enforcement reporting to HIDTA"; a card (its text and
    its chart's notes) does not call the same figures "All U.S. law enforcement"."""
    from indicators import derived

    view = derived.claims_view(None, 0.05, "")
    said = {c.claim_id: c.markdown + " ".join(c.chart.notes if c.chart else []) for c in view.cards}
    assert "Law enforcement reporting to HIDTA" in said["C03"]
    assert not [k for k, t in said.items() if "All U.S. law enforcement" in t]


def test_each_claim_cards_chart_has_its_downloads():
    """The cards' charts had no PNG/SVG/CSV, unlike every other chart of the app."""
    import io
    import xml.etree.ElementTree as ET

    import pandas as pd

    from indicators import charts, export

    at = app("claims")
    assert errors(at) == []
    boxes = [e for e in at.expander if e.label == "Downloads (PNG, SVG, CSV)"]
    ev = claims.evaluate_all()
    quant = [
        q
        for q in ev[ev.kind == "quantitative"].to_dict("records")
        if charts.claim_chart(q, None) is not None
    ]
    assert len(boxes) == len(quant) > 5
    q = quant[0]
    slide = charts.claim_chart(q, None, charts.style.EXPORT)
    svg = export.image(slide.fig, "svg").decode()
    words = " ".join(ET.fromstring(svg).itertext())
    assert slide.title in words and "Source:" in words and q["claim_id"] not in slide.title
    back = pd.read_csv(io.StringIO(export.chart_csv(charts.claim_chart(q, None))))
    assert back.chart.iloc[0] == slide.title
