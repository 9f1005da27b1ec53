"""Chart catalog: every chart builds, explains itself, marks partial years, escapes claim text."""

import pandas as pd
import pytest

from indicators import charts, claims
from indicators.charts import esc
from indicators.filters import Filters


@pytest.fixture(scope="module")
def evaluated():
    return claims.evaluate_all()


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_every_chart_explains_itself(name, evaluated):
    c = charts.build(name, Filters(basis="fiscal"), None, evaluated)
    lay = c.fig.layout
    assert lay.title.text and lay.title.subtitle.text  # title and the active filters
    foot = [a.text for a in lay.annotations if a.name == "source"]
    assert foot and foot[0].startswith("Source: ")  # source line inside the figure
    assert lay.paper_bgcolor == "#ffffff"  # solid background
    assert len(c.data) > 0 and len(c.fig.data) > 0


def test_fiscal_and_calendar_years_differ_where_they_should():
    fy = charts.build(
        "seizures_by_component", Filters(basis="fiscal", drug="fentanyl"), None, None
    ).data
    cy = charts.build(
        "seizures_by_component", Filters(basis="calendar", drug="fentanyl"), None, None
    ).data
    a = fy[(fy.year == 2023) & (fy.component == "U.S. Border Patrol")].quantity.iloc[0]
    b = cy[(cy.year == 2023) & (cy.component == "U.S. Border Patrol")].quantity.iloc[0]
    assert a != pytest.approx(b)
    # FY2019 starts in Oct 2018: calendar 2018 holds only three months and is partial
    assert bool(cy[cy.year == 2018].partial.all()) and not bool(fy[fy.year == 2019].partial.any())


def test_same_months_sum_the_same_on_either_basis():
    f = Filters(basis="fiscal", year_from=2019, year_to=2026, drug="fentanyl")
    fy = charts.build("seizures_by_component", f, None, None).data.quantity.sum()
    cy = charts.build(
        "seizures_by_component", f.with_(basis="calendar", year_from=2018), None, None
    ).data.quantity.sum()
    assert fy == pytest.approx(cy)


def test_partial_years_flagged_in_data():
    d = charts.build("seizures_by_component", Filters(basis="fiscal"), None, None).data
    assert d[d.year == 2026].partial.all() and not d[d.year == 2025].partial.any()
    assert (d[d.year == 2026].months_label != "").all()


def test_dea_chart_keeps_calendar_basis_and_says_so():
    c = charts.build("seizures_dea_pills", Filters(basis="fiscal"), None, None)
    assert (
        "calendar years (DEA and HIDTA publish by calendar year" in c.fig.layout.title.subtitle.text
    )
    assert c.fig.layout.xaxis.ticktext[0].isdigit()


def test_claims_drawn_only_when_relevant(evaluated):
    f = Filters(basis="fiscal")
    on = charts.build("seizures_by_component", f, None, evaluated)
    assert {c["claim_id"] for c in on.claims_shown if c["kind"] == "quantitative"} == {"C06"}
    meth = charts.build("seizures_by_component", f.with_(drug="methamphetamine"), None, evaluated)
    assert not [
        c for c in meth.claims_shown if c["kind"] == "quantitative"
    ]  # a fentanyl claim is not drawn on meth
    off = charts.build("seizures_by_component", f.with_(claims=False), None, evaluated)
    assert off.claims_shown == [] and not [
        t for t in off.fig.data if (t.name or "").startswith("Claim")
    ]


def test_claim_marker_at_the_claimed_value(evaluated):
    c = charts.build("encounters_citizenship", Filters(basis="fiscal"), None, evaluated)
    marks = [t for t in c.fig.data if (t.name or "").startswith("Claim")]
    ys = sorted(y for t in marks for y in t.y)
    assert ys == [2000, 24000, 28500]
    # markers sit over their component's bar: OFO left, USBP right of the year
    bars = [t for t in c.fig.data if t.type == "bar"]
    half = (1 - c.fig.layout.bargap) / len(bars) / 2
    xs = sorted(round(x, 4) for t in marks for x in t.x)
    assert xs == [round(2022 + half, 4), round(2023 - half, 4), round(2023 + half, 4)]


def test_claim_text_is_escaped_in_figures(evaluated):
    evil = evaluated.copy()
    i = evil.index[evil.claim_id == "C06"][0]
    evil.loc[i, "quote"] = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    evil.loc[i, "speaker"] = "<b onclick=alert(3)>x</b>"
    c = charts.build("seizures_by_component", Filters(basis="fiscal"), None, evil)
    text = " ".join(h for t in c.fig.data for h in (t.hovertext or []) if isinstance(h, str))
    assert "&lt;img src=x" in text and "&lt;script&gt;" in text
    assert "<img" not in text and "<script" not in text
    assert "<b onclick" not in text


def test_esc_wraps_and_escapes():
    assert esc("<a & b>", 0) == "&lt;a &amp; b&gt;"
    assert "<br>" in esc("word " * 40, 30)


def test_tile_map_has_every_state():
    c = charts.build("deaths_state_map", Filters(state_year=2022), None, None)
    z = [v for row in c.fig.data[0].z for v in row if v is not None]
    assert len(z) == 51
    assert c.data.set_index("geo").loc["WV", "rate"] == pytest.approx(80.9)


def test_provisional_state_year_uses_crude_rate_with_census():
    c = charts.build("deaths_state_map", Filters(state_year=2024), None, None)
    d = c.data.set_index("geo")
    assert (d.status == "provisional").all()
    assert d.loc["WV", "rate"] == pytest.approx(
        d.loc["WV", "deaths"] / d.loc["WV", "population"] * 1e5
    )
    assert "crude" in d.rate_kind.iloc[0]


def test_overview_index_is_100_in_base_year():
    d = charts.build("overview_index", Filters(base_year=2020), None, None).data
    assert (d[d.year == 2020]["index"].round(6) == 100).all()
    assert set(d.indicator) == {
        "Overdose deaths (CDC, provisional 12-month counts)",
        "CBP fentanyl seizures (lb)",
        "CBP encounters (by-State table)",
    }


def test_filters_round_trip_through_the_url():
    f = Filters(
        basis="fiscal",
        year_from=2020,
        year_to=2024,
        agencies=("OFO", "USBP"),
        claims=False,
        drug="cocaine",
        present=True,
    )
    q = f.to_query()
    assert q["basis"] == "fiscal" and q["agencies"] == "OFO,USBP" and q["claims"] == "0"
    assert Filters.from_query(q) == f
    bad = Filters.from_query(
        {"basis": "weekly", "year_from": "abc", "year_to": "1850", "agencies": "OFO,EVIL"}
    )
    assert bad.basis == "calendar" and bad.year_from <= bad.year_to and bad.agencies == ("OFO",)


def test_chart_data_is_exactly_what_is_drawn():
    c = charts.build("encounters_by_component", Filters(basis="fiscal"), None, None)
    drawn = {
        (t.legendgroup, x): y
        for t in c.fig.data
        if t.type == "bar"
        for x, y in zip(t.x, t.y, strict=True)
    }
    key = {"by State": "by_state_total"}
    table = {(key.get(r.table, r.component), r.year): r.encounters for r in c.data.itertuples()}
    assert drawn == {k: float(v) for k, v in table.items()}
    # FY2025 comes from the by-State table only, never added to a component's bar
    assert ("by_state_total", 2025) in drawn and ("U.S. Border Patrol", 2025) not in drawn
    assert isinstance(c.data, pd.DataFrame)
