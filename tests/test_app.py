"""Every page under Streamlit's AppTest: no exceptions, widgets and charts present, filters
change the numbers drawn, claims toggle on and off."""

import pandas as pd
import pytest
from apphelpers import app, claim_traces, errors, figure, figures, point, shown_text, widget

from indicators import charts, manifest, query, series
from indicators.filters import Filters
from indicators.store import REPO_DATA

PAGES = {
    "overview": 1,
    "overdose_deaths": 4,
    "seizures": 6,
    "encounters": 5,
    "states": 7,
    "claims": 5,
    "upload": 0,
    "sources": 0,
}


@pytest.mark.parametrize("page,min_charts", PAGES.items())
def test_page_runs_with_charts(page, min_charts):
    at = app(None if page == "overview" else page)
    assert errors(at) == []
    assert len(at.get("plotly_chart")) >= min_charts


def test_sidebar_filters_present():
    at = app()
    keys = {getattr(w, "key", None) for w in at.sidebar.children.values()}
    assert {"f_basis", "years_slider", "f_agencies", "f_claims", "f_article", "f_present"} <= keys
    # the article is offered by its headline, its id (a slug) stays in the URL
    held = query.load("claims")
    art = at.selectbox(key="f_article")
    assert art.value in set(held.article_id)
    titles = dict(zip(held.article_id, held.article_title, strict=True))
    assert art.options == [titles[a] for a in sorted(titles)]


def test_overview_headlines_say_period_and_status():
    at = app()
    metrics = at.get("metric")
    assert len(metrics) == 4
    caps = " ".join(c.value for c in at.caption)
    assert "provisional" in caps and "partial year" in caps and "vintage" in caps
    # the latest month's reported count is incomplete (CDC flags it 'Underreported due to
    # incomplete data'): CDC's predicted count and its change stand beside it, from the file
    raw = pd.read_csv(
        REPO_DATA
        / "raw/cdc_vsrr/VSRR_Provisional_Drug_Overdose_Death_Counts_US_rows_data_through_2025-04.csv",
        thousands=",",
    )
    deaths = raw[raw.Indicator == "Number of Drug Overdose Deaths"]
    now = deaths[(deaths.Year == 2025) & (deaths.Month == "April")].iloc[0]
    before = deaths[(deaths.Year == 2024) & (deaths.Month == "April")].iloc[0]
    assert "Underreported" in now.Footnote
    change = (now["Predicted Value"] / before["Predicted Value"] - 1) * 100
    assert (
        f"CDC predicts {now['Predicted Value']:,.0f} ({change:+.1f}%) once the deaths still under investigation"
        in caps
    )


def test_overview_freshness_names_each_dataset_and_how_far_it_reaches():
    at = app()
    rows = {
        r[0]: r
        for r in (
            [c.strip() for c in line.strip("|").split("|")] for line in shown_text(at).splitlines()
        )
        if len(r) == 5 and r[0] not in ("Dataset", "---")
    }
    fresh = series.freshness(None)
    titles = {k: e["title"] for k, e in manifest.by_id().items()}
    assert len(rows) == len(fresh)
    for fr in fresh.itertuples():
        assert rows[titles[fr.source_id]][2:] == [f"{fr.rows:,}", fr.vintage, fr.periods]
    # each source's periods, recomputed from the stored tables: an older file whose later
    # months a newer file replaced ends before its title's last year, and the page says why;
    # 12-month-ending counts and year-to-date figures say what they are
    by_state = query.load("encounters_by_state", None)
    for sid, d in by_state.groupby("source_id"):
        periods = pd.to_datetime(pd.DataFrame({"year": d.year, "month": d.month, "day": 1}))
        assert rows[titles[sid]][4] == f"{periods.min():%b %Y} - {periods.max():%b %Y}"
    deaths = query.load("overdose_deaths", None)
    for sid, d in deaths.groupby("source_id"):
        shown = rows[titles[sid]][4]
        if (d.period_type == "12_month_ending").all():
            end = pd.to_datetime(pd.DataFrame({"year": d.year, "month": d.month, "day": 1}))
            assert shown == f"12 months ending {end.min():%b %Y} - {end.max():%b %Y}", shown
        else:
            years = sorted({d.year.min(), d.year.max()})
            assert shown == " - ".join(str(y) for y in years), shown
    seizures = query.load("seizures", None)
    dea = seizures[seizures.source_id == "dea_fentanyl_figures"]
    last = dea[dea.year == dea.year.max()]
    assert (last.coverage == "year_to_date").all()
    as_of = last.as_of.max()
    assert rows[titles["dea_fentanyl_figures"]][4].endswith(
        f"({dea.year.max()} through {as_of.day} {as_of:%b})"
    )
    older = rows["CBP Nationwide Encounters by State, FY2020-FY2023"][4]
    assert older.endswith("2021"), older
    assert "the newer file's values are the" in " ".join(c.value for c in at.caption)


def test_encounters_totals_by_state_follow_the_year_basis():
    """The by-state totals table names its year basis, labels fiscal years FY, and says which
    months a partial year holds."""
    at = app("encounters")

    def table() -> list[list[str]]:
        lines = [line for line in shown_text(at).splitlines() if line.startswith("| ")]
        cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
        return [c for c in cells if len(c) == 3 and not set(c[0]) <= set("-:")]

    def expected(basis: str) -> dict[str, tuple[str, str]]:
        t = series.encounters_total_by_state_table(Filters(basis=basis), None)
        fy = "FY" if basis == "fiscal" else ""
        return {
            f"{fy}{y}": (f"{n:,}", f"{m} of 12: {lab}" if part else "12")
            for y, n, m, lab, part in zip(
                t.year, t.encounters, t.months, t.months_label, t.partial, strict=True
            )
        }

    def shown() -> dict[str, tuple[str, str]]:
        return {c[0]: (c[1], c[2]) for c in table()[1:]}

    assert table()[0] == ["Calendar year", "Encounters", "Months with data"]
    assert shown() == expected("calendar")
    assert any(months != "12" for _, months in shown().values())  # a partial year says so
    widget(at, "f_basis").set_value("fiscal").run()
    assert table()[0] == ["Federal fiscal year (Oct-Sep)", "Encounters", "Months with data"]
    assert shown() == expected("fiscal") != expected("calendar")


def test_seizures_basis_switch_rebuckets_fy2023():
    at = app("seizures")
    widget(at, "f_basis").set_value("fiscal").run()
    fig = figure(at, "fentanyl seizures by component")
    ofo = point(fig, "Office of Field Operations", 2023)
    usbp = point(fig, "U.S. Border Patrol", 2023)
    sz = query.load("seizures")
    d = sz[(sz.drug == "fentanyl") & (sz.fiscal_year == 2023)]
    assert ofo == pytest.approx(d[d.component == "Office of Field Operations"].quantity.sum())
    assert ofo + usbp == pytest.approx(27022.85, abs=0.01)
    widget(at, "f_basis").set_value("calendar").run()
    fig = figure(at, "fentanyl seizures by component")
    cal = d = sz[
        (sz.drug == "fentanyl") & (sz.year == 2023) & (sz.component == "Office of Field Operations")
    ].quantity.sum()
    assert point(fig, "Office of Field Operations", 2023) == pytest.approx(cal)
    assert cal != pytest.approx(ofo)


def test_seizures_drug_and_component_filters_change_figures():
    at = app("seizures")
    widget(at, "f_basis").set_value("fiscal").run()
    before = figure(at, "seizures by component")
    widget(at, "f_drug").set_value("methamphetamine")
    at.run()
    after = figure(at, "methamphetamine seizures by component")
    assert point(after, "Office of Field Operations", 2023) != point(
        before, "Office of Field Operations", 2023
    )
    widget(at, "f_agencies").set_value(["CDC", "USBP", "DEA", "HIDTA"]).run()
    only = figure(at, "methamphetamine seizures by component")
    assert {t["legendgroup"] for t in only["data"] if t["type"] == "bar"} == {"U.S. Border Patrol"}


def test_partial_year_is_marked():
    at = app("seizures")
    widget(at, "f_basis").set_value("fiscal").run()
    fig = figure(at, "seizures by component")
    bars = [t for t in fig["data"] if t.get("legendgroup") == "Office of Field Operations"]
    hatched = {x for t in bars if t["marker"]["pattern"]["shape"] == "/" for x in t["x"]}
    solid = {x for t in bars if t["marker"]["pattern"]["shape"] == "" for x in t["x"]}
    assert 2026 in hatched and 2025 in solid and not hatched & solid
    # the legend swatch is the solid trace: a legend never reads "everything is partial"
    assert [t["marker"]["pattern"]["shape"] for t in bars if t.get("showlegend")] == [""]
    assert any("partial: Oct-Apr only" in h for t in bars for h in t["hovertext"])
    # the axis says which months the partial year holds
    ticks = dict(
        zip(fig["layout"]["xaxis"]["tickvals"], fig["layout"]["xaxis"]["ticktext"], strict=True)
    )
    assert ticks[2026] == "FY2026<br>partial"  # OFO/USBP Oct-Apr, AMO Oct-Dec: each in the note


def test_year_range_filter():
    at = app("encounters")
    widget(at, "f_basis").set_value("fiscal").run()
    widget(at, "years_slider").set_value((2022, 2023)).run()
    fig = figure(at, "encounters by component")
    xs = {x for t in fig["data"] if t["type"] == "bar" for x in t["x"]}
    assert xs == {2022, 2023}


def test_citizenship_selection_changes_the_trend():
    at = app("encounters")
    widget(at, "f_basis").set_value("fiscal").run()
    china = figure(at, "citizens of China")
    en = query.load("encounters")
    want = en[
        (en.fiscal_year == 2023)
        & (en.component == "U.S. Border Patrol")
        & (en.citizenship == "CHINA, PEOPLES REPUBLIC OF")
    ].encounters.sum()
    assert point(china, "U.S. Border Patrol", 2023) == want
    widget(at, "f_citizenship").set_value("INDIA")
    at.run()
    india = figure(at, "citizens of India")
    assert (
        point(india, "U.S. Border Patrol", 2023)
        == en[
            (en.fiscal_year == 2023)
            & (en.component == "U.S. Border Patrol")
            & (en.citizenship == "INDIA")
        ].encounters.sum()
    )


@pytest.mark.parametrize(
    "page,title",
    [
        ("overdose_deaths", "12-month rolling"),
        ("seizures", "seizures by component"),
        ("encounters", "citizens of China"),
    ],
)
def test_claims_toggle(page, title):
    at = app(page)
    widget(at, "f_basis").set_value("fiscal").run()
    on = claim_traces(figure(at, title))
    assert on, "no claim annotations with the toggle on"
    widget(at, "f_claims").set_value(False).run()
    assert claim_traces(figure(at, title)) == []


def test_deaths_state_map_year():
    at = app("overdose_deaths")
    widget(at, "f_state_year").set_value(2020).run()
    m = figure(at, "death rate by state, 2020")
    z = [v for row in m["data"][0]["z"] for v in row if v is not None]
    assert len(z) == 51 and max(z) == pytest.approx(81.4)  # West Virginia, NCHS 2020


def test_claims_page_cards_and_summary():
    at = app("claims")
    assert errors(at) == []
    labels = {m.label: m.value for m in at.get("metric")}
    assert labels["Quantitative claims"] == "14"
    assert labels["Contradicted"] == "1" and labels["Supported"] == "6"
    texts = shown_text(at)
    assert "Data: 27,023 lb" in texts and "1.15 billion" in texts
    widget(at, "tolerance_pct").set_value(1).run()
    labels = {m.label: m.value for m in at.get("metric")}
    assert labels["Overstated"] == "0"  # C02 misses by 3%: beyond a 1% tolerance it is contradicted
    assert labels["Contradicted"] == "2"


def test_presentation_mode_hides_chrome_and_enlarges():
    normal = app()
    assert any(e.label.startswith("Data and downloads") for e in normal.expander)
    small = figures(normal)[0]["layout"]
    at = app(query={"present": "1"})  # the toggle is also in the URL
    assert errors(at) == []
    big = figures(at)[0]["layout"]
    assert big["font"]["size"] > small["font"]["size"] and big["height"] > small["height"]
    assert any(getattr(b, "label", "") == "Exit presentation mode" for b in at.get("button"))
    assert not any(e.label.startswith("Data and downloads") for e in at.expander)
    css = " ".join(m.value for m in at.markdown)
    assert "stSidebar" in css and "display:none" in css


def test_url_query_sets_filters():
    at = app(
        "seizures", {"basis": "fiscal", "drug": "cocaine", "year_from": "2020", "year_to": "2024"}
    )
    fig = figure(at, "cocaine seizures by component")
    xs = {x for t in fig["data"] if t["type"] == "bar" for x in t["x"]}
    assert xs == {2020, 2021, 2022, 2023, 2024}
    assert fig["layout"]["xaxis"]["ticktext"][0] == "FY2020"


def test_store_damage_is_reported_on_start(store):
    meta = store.current().tables["seizures"]
    store.object_path(meta["sha256"]).write_bytes(b"broken")
    at = app()
    assert any("damaged" in e.value for e in at.error)
    assert any("indicators build" in e.value or "rollback" in e.value for e in at.error)


def labels_of(at, kind: str) -> list[str]:
    return [getattr(b, "label", "") for b in at.get(kind)]


@pytest.mark.parametrize("page", ["seizures", "encounters", "overdose_deaths"])
def test_slide_deck_download_offered(page):
    """The deck's box is lazy: closed, nothing of it is built; opened, the charts to pick and
    the download are there."""
    at = app(page)
    assert errors(at) == []
    assert "Download .pptx" not in labels_of(at, "download_button")
    at.session_state[f"deckbox_{page.replace('overdose_', '')}"] = True
    at.run()
    assert errors(at) == []
    assert "Download .pptx" in labels_of(at, "download_button")
    assert len(widget(at, f"deck_{page.replace('overdose_', '')}").value) >= 2


def test_chart_tools_are_built_only_when_opened():
    """Each chart's data table and PNG/SVG/CSV downloads are one click away and cost nothing
    while closed: a closed box sends one element, not nine, on every filter change."""
    at = app("seizures")
    assert errors(at) == []
    assert not labels_of(at, "download_button") and not at.dataframe
    boxes = [e for e in at.expander if e.label.startswith("Data and downloads")]
    assert len(boxes) == len(figures(at))
    at.session_state["tools_seizures_monthly"] = True
    at.run()
    assert errors(at) == []
    assert labels_of(at, "download_button") == ["PNG", "SVG", "CSV"]
    (table,) = at.dataframe
    drawn = charts.build("seizures_monthly", Filters()).data
    assert len(table.value) == len(drawn) > 12  # exactly the rows drawn, one per month


@pytest.mark.parametrize(
    "page,query,field,default",
    [
        ("seizures", {"measure": "zzz"}, "measure", "quantity"),
        ("states", {"state_measure": "zz", "grid_y": "xx"}, "state_measure", "rate"),
        ("states", {"grid_y": "xx"}, "grid_y", "shared"),
        ("encounters", {"dimension": "nope"}, "dimension", "land_border_region"),
    ],
)
def test_a_choice_a_page_does_not_offer_in_a_url_is_its_default(page, query, field, default):
    """'/seizures?measure=zzz' showed a KeyError with a traceback and no chart;
    '/states?grid_y=xx' came back as 'free', a view nobody asked for."""
    at = app(page, query)
    assert errors(at) == [] and not at.exception
    assert at.session_state[f"f_{field}"] == default
    assert figures(at)


def test_the_url_choices_are_the_pages_choices():
    from indicators.filters import CHOICES

    assert set(CHOICES["dimension"]) == set(charts.encounters.DIMENSIONS)


def test_a_link_asking_for_what_is_not_offered_says_so_in_words():
    """'drug=unicorn', 'basis=lunar', 'states=ZZ' fell back to defaults silently: a mistyped
    shared link showed another view as if it were the one asked for. Values the page takes
    from the data (a citizenship, a region, a month) are checked too."""
    # (the entry page draws it)
    at = app(query={"drug": "unicorn", "basis": "lunar", "states": "ZZ,TX", "citizenship": "NARNIA",
                    "region": "northern", "change_to": "2031-05", "enc_from": "2099", "state_year": "1800"})  # fmt: skip
    said = " ".join(w.value for w in at.warning).replace("\\", "")  # (Markdown-escaped)
    for part in ("drug=unicorn: not one of the choices; shown: Fentanyl", "basis=lunar: not one of the choices; shown: "
                 "calendar year", "states=ZZ: not known", "citizenship=NARNIA: not known", "region=northern: not known",
                 "change_to=2031-05: not known", "enc_from=2099: not known", "state_year=1800: not known"):  # fmt: skip
        assert part in said, (part, said)
    widget(at, "f_basis").set_value("fiscal").run()  # still said on the page the link opened
    assert any("This link asks for" in w.value for w in at.warning)
    clean = app(
        query={
            "drug": "cocaine",
            "basis": "fiscal",
            "region": "Northern Border",
            "change_to": "2023-06",
        }
    )
    assert not any("This link asks for" in w.value for w in clean.warning)
