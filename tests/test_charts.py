"""Chart catalog: every chart builds, explains itself, marks partial years, escapes claim text."""

import calendar
import html
import re

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
    sub = c.fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "calendar years as DEA and HIDTA publish them (also when fiscal years are chosen)" in sub
    assert c.fig.layout.xaxis.ticktext[0].isdigit()
    # the subtitle's years are the years drawn, and the title names who published them
    drawn = sorted(int(x) for t in c.fig.data for x in (t.x or ()))
    assert sub.startswith(f"{drawn[0]}-{drawn[-1]}, ")
    only_dea = charts.build("seizures_dea_powder", Filters(agencies=("DEA",)), None, None)
    assert only_dea.fig.layout.title.text == "<b>DEA fentanyl powder seizures</b>"


def test_an_event_has_one_number_on_every_chart_of_a_topic(evaluated):
    """Events are numbered in date order among all of a topic's events: a chart whose years
    leave the early ones out does not number the rest from 1 again."""
    import re

    keys = {}
    for f in (Filters(), Filters(year_from=2022)):
        for name in ("seizures_dea_pills", "seizures_dea_powder", "seizures_by_component"):
            foot = charts.build(name, f, None, evaluated).fig.layout.annotations
            text = " ".join(a.text for a in foot if a.name == "source").replace("<br>", " ")
            for num, label in re.findall(r"\[(\d+)\] [^:]+: (.+?)(?= · \[|$)", text):
                keys.setdefault(label.strip(), set()).add(num)
    assert len(keys) >= 5
    assert all(len(nums) == 1 for nums in keys.values()), keys
    late = charts.build("seizures_dea_powder", Filters(year_from=2022), None, evaluated)
    assert "[1]" not in " ".join(a.text for a in late.fig.layout.annotations)


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
    # markers sit over their component's bar: OFO left, USBP right of the year (the by-State
    # total of later years takes no slot in the earlier years: it is drawn in its own)
    bars = [t for t in c.fig.data if t.type == "bar" and t.offset is None]
    assert len(bars) == 2
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
        "CBP encounters (ports of entry + Border Patrol)",
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


# --- the chart layer's rules ----------------------------------------------------------------


def _quant(evaluated, cid):
    return evaluated[evaluated.claim_id == cid].iloc[0].to_dict()


def test_claim_placement_rule(evaluated):
    """A claim is drawn only where the view shows what it claims; elsewhere the note says why."""
    from indicators.charts.overlays import Scope, place

    c06 = _quant(evaluated, "C06")  # FY2023, OFO + USBP, fentanyl, lb
    comps = ("Office of Field Operations", "U.S. Border Patrol", "Air and Marine Operations")
    fixed = {"agency": frozenset({"CBP"}), "drug": frozenset({"fentanyl"})}
    fiscal = Scope(
        "seizures",
        "lb",
        "fiscal",
        (2019, 2026),
        fixed,
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert place(c06, fiscal) == ("", "")  # OFO + USBP is the bottom of the stack: drawn
    calendar = Scope(
        "seizures",
        "lb",
        "calendar",
        (2019, 2026),
        fixed,
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert place(c06, calendar) == (
        None,
        "C06 is about FY2023, ports of entry + Border Patrol, fentanyl: switch to fiscal year to see it",
    )
    usbp = Scope(
        "seizures",
        "lb",
        "fiscal",
        (2019, 2026),
        fixed,
        "component",
        ("U.S. Border Patrol",),
        True,
        frozenset({"unit"}),
    )
    at, why = place(c06, usbp)
    assert at is None and why.endswith(
        "select exactly CBP Office of Field Operations + CBP U.S. Border Patrol in Agencies and components to see it"
    )
    meth = Scope(
        "seizures",
        "lb",
        "fiscal",
        (2019, 2026),
        {**fixed, "drug": frozenset({"methamphetamine"})},
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert place(c06, meth)[0] is None
    events = Scope(
        "seizures",
        "events",
        "fiscal",
        (2019, 2026),
        fixed,
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert place(c06, events) == (None, "")  # another unit: another chart's claim, no note
    narrow = Scope(
        "seizures",
        "lb",
        "fiscal",
        (2024, 2026),
        fixed,
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert "widen the years" in place(c06, narrow)[1]
    region = Scope(
        "seizures",
        "lb",
        "fiscal",
        (2019, 2026),
        {**fixed, "region": frozenset({"Southwest Border"})},
        "component",
        comps,
        True,
        frozenset({"unit"}),
    )
    assert "clear that filter" in place(c06, region)[1]


def test_claim_beyond_the_data_is_an_edge_marker_not_a_rescaled_axis(evaluated):
    c = charts.build("seizures_dea_pills", Filters(), None, evaluated)
    data_max = max(v for t in c.fig.data if t.type == "bar" for v in t.y if v is not None)
    top = c.fig.layout.yaxis.range[1]
    assert data_max < top < data_max * 1.25  # the axis fits the data, not the 1.15 billion claim
    claim = next(t for t in c.fig.data if (t.name or "").startswith("Claim C03"))
    assert claim.y[0] == top and claim.cliponaxis is False
    foot = next(a.text for a in c.fig.layout.annotations if a.name == "source")
    assert "C03 over 1.15 billion pills" in foot and "above the top of the scale" in foot
    # over the marker, above the plot: what was claimed and how far above the data it is
    label = next(a for a in c.fig.layout.annotations if a.name == "off_scale_claim")
    claimed = _quant(evaluated, "C03")
    times = round(claimed["claimed_value"] / claimed["data_value"])
    assert "over 1.15 billion pills" in label.text and f"{times} times the data" in label.text
    assert label.x == claim.x[0] and label.yref == "y" and label.y == top  # points at it
    assert label.showarrow and label.ay < 0 and label.yanchor == "bottom"  # from above the plot
    # a claim inside the scale gets no such label
    c06 = charts.build("seizures_by_component", Filters(basis="fiscal"), None, evaluated)
    assert any((t.name or "").startswith("Claim C06") for t in c06.fig.data)
    assert not [a for a in c06.fig.layout.annotations if a.name == "off_scale_claim"]


def test_partial_years_are_not_drawn_on_the_index(evaluated):
    """A partial year's few months beside full years read as a collapse (a hollow marker at 45
    after 148 did): the index draws full years only and names the partial ones in its note."""
    for basis in ("calendar", "fiscal"):
        d = charts.build("overview_index", Filters(basis=basis), None, None)
        data = d.data
        foot = next(a.text for a in d.fig.layout.annotations if a.name == "source")
        foot = foot.replace("<br>", " ")
        # calendar 2018/2026 seizures, 2019/2025 encounters; fiscal 2026 seizures (Oct-Apr)
        assert data.partial.astype(bool).sum() >= (4 if basis == "calendar" else 1)
        for key, label in (
            ("ind:seizures", "CBP fentanyl seizures (lb)"),
            ("ind:encounters", "CBP encounters (ports of entry + Border Patrol)"),
        ):
            rows = data[data.indicator == label]
            partial = set(rows[rows.partial.astype(bool)].year)
            assert rows[rows.partial.astype(bool)]["index"].isna().all()  # no index in the CSV
            drawn = {
                x
                for t in d.fig.data
                if t.legendgroup == key or (t.name or "").startswith(charts.style.esc(label))
                for x, y in zip(t.x, t.y, strict=True)
                if y is not None
            }
            assert drawn and not partial & drawn
            for year in partial:
                assert f"{label.split(' (')[0]} {Filters(basis=basis).year_label(year)} (" in foot
        assert "Not drawn: partial years" in foot
        assert not [t for t in d.fig.data if "(partial year)" in (t.name or "")]


def test_partial_bars_hatched_with_each_components_own_months():
    c = charts.build("seizures_by_component", Filters(basis="fiscal"), None, None)
    amo = c.data[(c.data.component == "Air and Marine Operations") & (c.data.year == 2026)]
    ofo = c.data[(c.data.component == "Office of Field Operations") & (c.data.year == 2026)]
    assert (
        amo.months_label.iloc[0] == "Oct 2025-Dec 2025"
        and ofo.months_label.iloc[0] == "Oct 2025-Apr 2026"
    )
    note = " ".join(c.notes)
    assert "Air and Marine (AMO) Oct 2025-Dec 2025" in note
    assert "ports of entry (OFO) + Border Patrol (USBP) Oct 2025-Apr 2026" in note


def test_one_colour_per_series_everywhere():
    f = Filters(basis="fiscal")
    seen: dict[str, set[str]] = {}
    for name in charts.CHARTS:
        for ff in (f, f.with_(base_year=2018), f.with_(agencies=("OFO", "USBP"))):
            c = charts.build(name, ff, None, None)
            for t in c.fig.data:
                if t.type not in ("bar", "scatter"):
                    continue  # the tile map's colour scale
                col = (
                    t.marker.color
                    if t.type == "bar"
                    else (t.line.color if t.mode == "lines" else None)
                )
                if t.legendgroup and isinstance(col, str):
                    seen.setdefault(t.legendgroup, set()).add(col)
    assert seen["Office of Field Operations"] == {"#0072B2"}
    assert all(len(v) == 1 for v in seen.values()), {k: v for k, v in seen.items() if len(v) > 1}
    # components and regions never share a colour
    from indicators.charts import style

    comps = {
        style.colour(c)
        for c in ("Office of Field Operations", "U.S. Border Patrol", "Air and Marine Operations")
    }
    regions = {style.colour(r) for r in ("Southwest Border", "Northern Border", "Coastal/Interior")}
    assert not comps & regions
    # the overview's encounters line is the by-State table's OFO + USBP total: the colour of
    # that total on the encounters page, not OFO's blue (it is not OFO alone)
    assert seen["ind:encounters"] == seen["by_state_total"]
    assert not seen["ind:encounters"] & comps
    # one colour, one meaning: a colour is shared only by names of the same thing
    same = [{"Southwest Border", "Southwest Land Border"}, {"Northern Border", "Northern Land Border"},
            {"Coastal/Interior", "Other"}, {"fentanyl", "synthetic_opioids", "ind:seizures"},
            {"methamphetamine", "psychostimulants"}, {"by_state_total", "ind:encounters"},
            {"all_drugs", "ind:deaths"}, {"other_drugs", "All others", "OTHER"},
            {"U.S. Border Patrol", "Apprehensions"}, {"Office of Field Operations", "Inadmissibles"},
            {"DEA", "counterfeit_pills"}, {"Title 42", "Expulsions"}]  # fmt: skip
    by_colour: dict[str, set[str]] = {}
    for k, c in style.COLOURS.items():
        by_colour.setdefault(c, set()).add(k)
    shared = [ks for ks in by_colour.values() if len(ks) > 1]
    assert all(ks in same for ks in shared), [ks for ks in shared if ks not in same]
    # a chosen state's line never takes a component's or a region's colour
    trend = charts.build(
        "states_deaths_trend", Filters(states=("WV", "OH", "AZ", "TX")), None, None
    )
    state_cols = {t.line.color for t in trend.fig.data if t.mode == "lines"}
    agencies = {style.colour(a) for a in ("DEA", "HIDTA", "CDC/NCHS")}
    assert len(state_cols) == 5 and not state_cols & (comps | regions | agencies)
    # as many colours as the page lets one choose states: no two of them share one
    from indicators.filters import MAX_STATES

    eight = ("WV", "OH", "AZ", "TX", "CA", "FL", "NY", "PA")
    assert len(eight) == MAX_STATES
    for name in ("states_deaths_trend", "states_deaths_annual", "states_encounters_trend"):
        c = charts.build(name, Filters(states=eight), None, None)
        cols = {
            t.legendgroup or t.name: t.line.color if t.type == "scatter" else t.marker.color
            for t in c.fig.data
            if (t.type == "bar" or t.mode == "lines") and (t.legendgroup or t.name)
        }
        states_drawn = {k: v for k, v in cols.items() if k in eight}
        # every state with data (West Virginia has too few encounters to draw a line)
        assert len(states_drawn) >= MAX_STATES - 1, (name, cols)
        assert len(set(states_drawn.values())) == len(states_drawn), (name, states_drawn)
    nine = Filters.from_query({"states": "WV,OH,AZ,TX,CA,FL,NY,PA,NJ"})
    assert nine.states == eight  # a URL cannot ask for more than the picker holds


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB to CIELAB (D65)."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _distance(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def test_encounter_breakdowns_never_look_like_a_component_or_a_region():
    """The breakdown chart (areas of responsibility, titles, demographics, citizenships) shares
    the encounters page with the components, the by-State total and the regions: none of its
    colours is near theirs (a sector in the teal of the Northern border, a port in a green
    like the Border Patrol's was read as them)."""
    from indicators.charts import style

    page = [style.colour(k) for k in ("Office of Field Operations", "U.S. Border Patrol",
            "Air and Marine Operations", "by_state_total", "Southwest Border", "Northern Border",
            "Coastal/Interior")]  # fmt: skip
    f = Filters(basis="fiscal")
    drawn: dict[str, str] = {}
    for dim in ("area_of_responsibility", "title_of_authority", "demographic", "citizenship"):
        c = charts.build("encounters_breakdown", f.with_(dimension=dim), None, None)
        bars = {
            t.name: t.marker.color
            for t in c.fig.data
            if t.type == "bar" and t.marker.color != style.LIGHT  # "All others", "Other"
        }
        assert len(bars) >= 2, dim
        assert len(set(bars.values())) == len(bars), (dim, bars)  # one colour per name
        drawn |= {f"{dim}: {k}": v for k, v in bars.items() if k != "All others"}
    near = [(k, v, p) for k, v in drawn.items() for p in page if _distance(v, p) < 20]
    assert not near, near
    # the open-ended palette itself: no two of its colours alike
    assert (
        min(_distance(a, b) for i, a in enumerate(style.EXTRA) for b in style.EXTRA[i + 1 :]) >= 20
    )


def test_empty_views_say_so_in_words(evaluated):
    f = Filters(year_from=1999, year_to=2005)
    for name in (
        "seizures_by_component",
        "seizures_monthly",
        "encounters_by_component",
        "overview_index",
    ):
        c = charts.build(name, f, None, evaluated)
        empty = [a.text for a in c.fig.layout.annotations if a.name == "empty"]
        assert empty and ("No " in empty[0] or "Nothing" in empty[0]), name
        assert not [
            a for a in c.fig.layout.annotations if a.name == "event_badge"
        ]  # no events on nothing
        assert c.fig.layout.xaxis.visible is False


def test_source_line_comes_from_the_rows_drawn():
    c = charts.build("deaths_state_map", Filters(state_year=2022), None, None)
    foot = next(a.text for a in c.fig.layout.annotations if a.name == "source")
    assert "transcribed" in foot  # the hand-transcribed 2022 state table says so
    dea = charts.build("seizures_dea_pills", Filters(), None, None)
    assert "as reported" in next(a.text for a in dea.fig.layout.annotations if a.name == "source")
    early = charts.build(
        "seizures_by_component", Filters(basis="fiscal", year_from=2019, year_to=2022), None, None
    )
    foot = next(a.text for a in early.fig.layout.annotations if a.name == "source")
    assert "FY2019-FY2022" in foot and "FY2023-FY2026" not in foot  # only the files drawn


def test_overview_follows_the_agency_filter():
    c = charts.build("overview_index", Filters(agencies=("USBP",)), None, None)
    assert set(c.data.indicator) == {"CBP fentanyl seizures (lb)"}
    assert any("Not drawn: overdose deaths (CDC not selected)" in n for n in c.notes)
    assert "USBP" in c.subtitle


def test_no_codes_in_words():
    c = charts.build("encounters_citizenship", Filters(basis="fiscal"), None, None)
    assert "China" in c.title and "PEOPLES" not in c.title
    d = charts.build("deaths_provisional", Filters(), None, None)
    words = " ".join(a.text for a in d.fig.layout.annotations if a.name == "direct_label")
    assert "Synthetic opioids" in words and "synthetic_opioids" not in words
    top = charts.build("encounters_top_citizenships", Filters(), None, None)
    assert "OTHER" not in set(top.data.citizenship)


def _visible_words(c) -> list[str]:
    lay = c.fig.layout
    texts = [lay.title.text or "", (lay.title.subtitle.text if lay.title.subtitle else "") or ""]
    texts += [a.text or "" for a in lay.annotations]
    texts += [t.name or "" for t in c.fig.data if t.showlegend is not False]
    return texts + list(c.notes)


@pytest.mark.parametrize(
    "f",
    [
        Filters(),
        Filters(agencies=("USBP",)),
        Filters(basis="fiscal", agencies=("OFO", "AMO", "CDC")),
    ],
    ids=["default", "border-patrol", "fiscal-ports-air"],
)
def test_cbp_components_are_named_in_words_not_codes(f, evaluated):
    """'select exactly OFO + USBP', 'C06 is about FY2023, OFO + USBP' and 'Select OFO or USBP'
    stood in charts' notes: a code may follow its words in brackets ('ports of entry (OFO)'),
    never stand alone."""
    code = re.compile(r"(?<![(\w])(?:OFO|USBP|AMO|FMUA|UAC)(?![\w)])")
    found = {
        (name, m.group(0), t[max(0, m.start() - 50) : m.end() + 20])
        for name in charts.CHARTS
        for t in _visible_words(charts.build(name, f, None, evaluated))
        for m in code.finditer(t)
    }
    assert found == set()


def test_a_region_means_the_same_on_the_seizures_and_encounters_pages():
    """The pages share the region filter; their files name the regions differently."""
    a = charts.build("encounters_by_component", Filters(region="Southwest Border"), None, None)
    b = charts.build("encounters_by_component", Filters(region="Southwest Land Border"), None, None)
    assert a.data.encounters.sum() == b.data.encounters.sum() > 0
    c = charts.build("seizures_by_component", Filters(region="Southwest Land Border"), None, None)
    d = charts.build("seizures_by_component", Filters(region="Southwest Border"), None, None)
    assert c.data.quantity.sum() == d.data.quantity.sum() > 0


def _plain_json(o):
    """A figure's JSON with Plotly's typed arrays ({dtype, bdata}) read back into numbers."""
    import base64

    import numpy as np

    if isinstance(o, dict):
        if {"dtype", "bdata"} <= set(o):
            a = np.frombuffer(base64.b64decode(o["bdata"]), dtype=o["dtype"])
            if "shape" in o:
                a = a.reshape([int(x) for x in str(o["shape"]).split(",")])
            return _plain_json(a.tolist())
        return {k: _plain_json(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_plain_json(x) for x in o]
    if isinstance(o, float) and o.is_integer():
        return int(o)
    return o


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"basis": "fiscal", "from": "2005"},
        {"drug": "methamphetamine", "measure": "events"},
        {"present": "1", "basis": "fiscal"},
    ],  # fmt: skip
)
def test_pages_draw_the_figure_plotly_itself_would_build(query, evaluated):
    """Pages draw each chart from its dict (`Chart.drawn`), without Plotly's validation:
    it must be the figure Plotly's own Figure, validated, sends (`Chart.fig`), for every
    chart and every claim card, or Plotly would have refused it (go.Figure raises)."""
    import json

    import plotly.io as pio

    f = Filters.from_query(query)
    built = [charts.build(name, f, None, evaluated) for name in charts.CHARTS]
    quant = evaluated[evaluated.kind == "quantitative"].to_dict("records")
    built += [c for c in (charts.claim_chart(q, None) for q in quant) if c is not None]
    assert len(built) > len(charts.CHARTS) + 5
    for c in built:
        plotly_own = _plain_json(json.loads(pio.to_json(c.fig)))
        assert _plain_json(c.drawn.to_dict()) == plotly_own, c.name


# Two other values of every filter (the defaults are Filters()'s).
OTHER_VALUES = {
    "basis": ["fiscal"], "year_from": [2010, 2019], "year_to": [2021, 2024],
    "agencies": [("CDC", "OFO", "DEA"), ("USBP", "AMO", "HIDTA")], "claims": [False],
    "drug": ["methamphetamine", "cocaine"], "death_drug": ["synthetic_opioids", "cocaine"],
    "measure": ["events"], "region": ["Southwest Border", "Northern Border"],
    "citizenship": ["MEXICO", "HONDURAS"], "dimension": ["demographic", "title_of_authority"],
    "state_year": [2020, 2023], "base_year": [2018, 2022], "present": [True],
    "states": [("TX", "CA"), ("NY",)], "state_measure": ["count"],
    "change_from": ["2021-06", "2019-12"], "change_to": ["2023-06", "2022-12"],
    "enc_from": [2021, 2020], "enc_to": [2023, 2024], "grid_y": ["free"], "grid_sort": ["name", "change"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_a_chart_depends_on_no_filter_it_does_not_declare(name, evaluated):
    """Built charts are kept per the filters their spec reads (`charts.cache_key`): a filter
    that changes a chart but is not among them would serve a stale chart from the cache."""
    import dataclasses
    import json

    assert set(OTHER_VALUES) == {f.name for f in dataclasses.fields(Filters)} - {"article"}
    spec = charts.CHARTS[name]

    def drawn(f):
        return json.dumps(charts.build(name, f, None, evaluated).drawn.to_dict(), default=str)

    for base in (Filters(), Filters(basis="fiscal", year_from=2019, agencies=("CDC", "OFO"))):
        ref = drawn(base)
        for field, values in OTHER_VALUES.items():
            if field in spec.reads:
                continue
            for v in values:
                assert drawn(base.with_(**{field: v})) == ref, (name, field, v)


def test_claim_cards_say_what_they_show_and_mark_years_without_data(evaluated):
    """A card chart stands alone on a slide: its title in words (no claim id), the claim's own
    words in the subtitle, and a year the axis spans without a figure labelled "no data"
    (an empty slot otherwise reads as zero)."""
    quant = evaluated[evaluated.kind == "quantitative"].to_dict("records")
    gaps_seen = 0
    for q in quant:
        c = charts.claim_chart(q, None)
        if c is None:
            continue
        lay = c.fig.layout
        assert q["claim_id"] not in lay.title.text
        assert str(q["quote"]).split()[0] in lay.title.subtitle.text
        if lay.xaxis.ticktext:
            drawn = {int(x) for t in c.fig.data if t.type == "bar" for x, y in zip(t.x, t.y, strict=True) if y is not None}  # fmt: skip
            for val, text in zip(lay.xaxis.tickvals, lay.xaxis.ticktext, strict=True):
                assert ("no data" in text) == (int(val) not in drawn), (q["claim_id"], val, text)
                gaps_seen += "no data" in text
    assert gaps_seen >= 3  # the seed article's cards have years without figures


@pytest.mark.parametrize("f", [Filters(), Filters(basis="fiscal", year_from=2010, year_to=2024)])
def test_a_subtitle_names_the_years_drawn_not_only_the_years_chosen(f, evaluated):
    """'2015-2026' over bars that start in 2019 promised years the chart does not have: the
    subtitle's range is the chosen years cut to the first and last year with data."""
    import re

    checked = 0
    for name in charts.CHARTS:
        c = charts.build(name, f, None, evaluated)
        sub = c.fig.layout.title.subtitle.text or ""
        m = re.match(r"(FY)?(\d{4})(?:-(FY)?(\d{4}))?, ", sub)
        xs = [x for t in c.fig.data if t.type in ("bar", "scatter") and t.x is not None and t.y is not None
              and t.orientation != "h" and not (t.name or "").startswith("Claim")
              and len(t.x) == len(t.y) for x, y in zip(t.x, t.y, strict=True) if y is not None]  # fmt: skip
        years = sorted(
            {round(float(x)) for x in xs if str(x).replace(".", "").isdigit()}
        )  # points sit beside the year
        if not m or not years or charts.CHARTS[name].page == "overview":
            continue  # charts by date or category, or without a range
        lo, hi = int(m[2]), int(m[4] or m[2])
        assert (lo, hi) == (max(years[0], f.year_from), min(years[-1], f.year_to)), (name, sub)
        checked += 1
    assert checked >= 5


def test_encounter_notes_name_the_years_the_tables_hold():
    """The years in the notes come from the tables (an upload of FY2025 by-area data changes
    them), not from text typed when FY2024 was the last by-area year."""
    import json

    from indicators import query

    area, state = query.load("encounters"), query.load("encounters_by_state")
    a_lo, a_hi = int(area.fiscal_year.min()), int(area.fiscal_year.max())
    s_lo, s_hi = int(state.fiscal_year.min()), int(state.fiscal_year.max())
    assert s_hi > a_hi  # the bundled by-State table runs past the by-area data
    c = charts.build("encounters_by_component", Filters(basis="fiscal"), None, None)
    assert any(f"Purple: years after FY{a_hi} from CBP's encounters by state" in n for n in c.notes)
    none = charts.build(
        "encounters_by_component", Filters(year_from=2000, year_to=2005), None, None
    )
    words = json.dumps(none.spec).replace("<br>", " ")
    assert "Encounters by State" not in none.source  # no row of it drawn, not cited
    assert (
        f"area of responsibility cover FY{a_lo}-FY{a_hi}, CBP&#x27;s encounters by state FY{s_lo}-FY{s_hi}"
        in words
    )
    seiz = query.load("seizures")
    cbp = seiz[seiz.agency == "CBP"].fiscal_year
    empty = charts.build("seizures_by_component", Filters(year_from=2000, year_to=2005), None, None)
    words = json.dumps(empty.spec).replace("<br>", " ")
    assert f"cover FY{int(cbp.min())}-FY{int(cbp.max())}" in words


def test_a_range_anywhere_in_a_subtitle_is_cut_to_the_data():
    """'West Virginia, Ohio, Arizona · 2015-2026, ...' over months from October 2019: the range
    says the fiscal years of the first and last month drawn."""
    c = charts.build("states_encounters_trend", Filters(basis="fiscal"), None, None)
    xs = sorted(x for t in c.fig.data if t.mode == "lines" for x in t.x if x is not None)
    first, last = pd.Timestamp(xs[0]), pd.Timestamp(xs[-1])

    def fy(d: pd.Timestamp) -> int:
        return d.year + (d.month >= 10)

    sub = c.fig.layout.title.subtitle.text.replace("<br>", " ")
    assert f" · FY{fy(first)}-FY{fy(last)}, federal fiscal year" in sub
    assert fy(first) > Filters().year_from  # the chosen range starts earlier than the data


def test_charts_without_a_component_split_name_each_components_months():
    """FY2026's bars by region and by drug add Air and Marine's months (its file ends earlier)
    to the other components' more months: the note says so, as the chart by component does."""
    f = Filters(basis="fiscal")
    by_comp = [
        n for n in charts.build("seizures_by_component", f, None, None).notes if "Hatched" in n
    ]
    assert by_comp and "Air and Marine (AMO)" in by_comp[0]
    for name in ("seizures_by_region", "seizures_by_drug"):
        notes = [n for n in charts.build(name, f, None, None).notes if "Hatched" in n]
        assert notes == by_comp, name


@pytest.mark.parametrize("basis", ["calendar", "fiscal"])
def test_every_hatched_bar_is_named_in_the_note(basis):
    """A hatched (partial) bar whose year the note leaves out reads as a collapse."""
    f = Filters(basis=basis)
    checked = 0
    for name in charts.CHARTS:
        c = charts.build(name, f, None, None)
        hatched = {int(x) for t in c.fig.data if t.type == "bar" and t.marker.pattern.shape == "/"
                   for x, y in zip(t.x, t.y, strict=True) if y is not None}  # fmt: skip
        if not hatched:
            continue
        note = next(n for n in c.notes if n.startswith("Hatched bars are partial years"))
        for y in hatched:
            assert f"{'FY' if basis == 'fiscal' else ''}{y}: " in note, (name, y, note)
        checked += 1
    assert checked >= 3


def test_a_component_whose_file_ended_before_a_partial_year_is_named():
    """Calendar 2026's bars by region and by drug hold no Air and Marine figures (its file ends
    earlier): the note says so, with the file's last month, computed from the rows."""
    from indicators import series

    f = Filters()
    amo = series.cbp_seizures(f).query("component == 'Air and Marine Operations'")
    last = int((amo["year"].astype(int) * 100 + amo["month"].astype(int)).max())
    import calendar

    end = f"{calendar.month_abbr[last % 100]} {last // 100}"
    for name in ("seizures_by_region", "seizures_by_drug"):
        c = charts.build(name, f, None, None)
        years = {int(x) for t in c.fig.data if t.type == "bar" and t.marker.pattern.shape == "/"
                 for x in t.x if int(x) > last // 100}  # fmt: skip
        assert years, name
        for y in years:
            assert f"No Air and Marine (AMO) figures in {y}: its file ends {end}." in c.notes
    # a year its file covers gets no such note
    first = charts.build("seizures_by_region", f.with_(year_from=2018, year_to=2019), None, None)
    assert not [n for n in first.notes if n.startswith("No Air and Marine")]


def test_a_year_to_date_card_draws_the_latest_figure_of_a_year_to_its_day(evaluated):
    """Two year-to-date figures of one year (June and December 2025) are two readings of one
    running total: the card draws the one its verdict compares (the latest published by the
    article's date), labelled with its day, never their sum."""
    from indicators import query

    c04 = _quant(evaluated, "C04")
    rows = query.load("seizures")
    assert "form=powder" in str(c04["filters"]) and "year_to_date" in str(c04["filters"])
    series = "fentanyl_powder_ytd"
    ytd = rows[(rows.series == series) & (rows.year == 2025)]
    assert len(ytd) >= 2  # the bundled data hold two readings of 2025
    ytd = ytd.sort_values("as_of")
    for article_date, row in (("2026-01-15", ytd.iloc[-1]), ("2025-07-01", ytd.iloc[0])):
        # the figure the verdict compares: the latest published by the article's date
        claim = {**c04, "year_start": 2025, "year_end": 2025, "article_date": article_date}
        c = charts.claim_chart(claim)
        drawn = {int(x): y for t in c.fig.data if t.type == "bar" for x, y in zip(t.x, t.y, strict=True)}  # fmt: skip
        assert drawn[2025] == round(float(row.quantity), 2), article_date
        ticks = dict(zip(c.fig.layout.xaxis.tickvals, c.fig.layout.xaxis.ticktext, strict=True))
        assert f"to {row.as_of:%b} {row.as_of.day}" in ticks[2025]


@pytest.mark.parametrize("basis", ["calendar", "fiscal"])
def test_no_event_line_runs_down_a_bars_edge(basis, evaluated):
    """On bar charts an event's dotted line at (or 3 px from) a bar's edge read as the bar's outline."""
    f = Filters(basis=basis)
    lines = 0
    for name in charts.CHARTS:
        c = charts.build(name, f, None, evaluated)
        if not any(t.type == "bar" and t.orientation != "h" for t in c.fig.data):
            continue
        r0, r1 = c.fig.layout.xaxis.range
        per_px = (r1 - r0) / (charts.style.PAGE.min_width - 200)  # years per pixel of the plot
        for sh in c.fig.layout.shapes:
            if sh.type == "line" and sh.xref == "x" and isinstance(sh.x0, float):
                off = abs(sh.x0 - round(sh.x0))
                assert abs(off - 0.375) / per_px >= 5, (name, sh.x0)  # 5 px or more
                lines += 1
    assert lines >= 5


def test_a_claim_whose_verdict_depends_on_a_choice_says_so_on_the_chart(evaluated):
    """The footnote under a chart gives every other choice whose verdict differs, with its
    number (C09: Title 42 expulsions left out; C02: CDC's predicted counts), and what a CBP
    seizure claim counts when it leaves out Air and Marine (C06)."""
    from indicators.charts import overlays, style

    rows = {c["claim_id"]: c for c in evaluated.to_dict("records")}
    for cid in ("C02", "C09"):
        c = rows[cid]
        words = overlays.claim_words(c, style.number)
        differing = [
            v
            for v in c["variant_results"]
            if v.get("comparable", True)
            and v["data_value"] is not None
            and v["verdict"] != c["verdict"]
        ]
        assert differing, cid
        for v in differing:
            assert (
                f"{v['label']} gives {style.number(v['data_value'], c['unit'])} ({v['verdict'].replace('_', ' ')})"
                in words
            )
        assert "; the verdict depends on a choice: " in words
    c09 = charts.claim_chart(rows["C09"])
    foot = " ".join(a.text for a in c09.fig.layout.annotations).replace("<br>", " ")
    t8 = next(v for v in rows["C09"]["variant_results"] if v["label"].startswith("Title 8"))
    assert (
        f"{t8['label']} gives {style.number(t8['data_value'], 'encounters')} ({t8['verdict']})"
        in foot
    )
    c06 = overlays.claim_words(rows["C06"], style.number)
    assert "ports of entry (OFO) + Border Patrol (USBP) only" in c06
    assert "only" not in overlays.claim_words(rows["C01"], style.number)  # a deaths claim


def test_a_ranking_claim_card_gives_its_verdict_and_how_it_was_read(evaluated):
    c10 = evaluated[evaluated.claim_id == "C10"].iloc[0].to_dict()
    c = charts.claim_chart(c10)
    names = list(c.data["geo"])
    assert ("DC" in names) == ("50 states and DC" in c.title)
    verdict = next(n for n in c.notes if n.startswith("Verdict:"))
    assert c10["verdict"].replace("_", " ") in verdict
    rank = int(c10["data_value"])
    assert f"ranks {rank}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(rank, 'th') } of 51" in verdict
    assert any(n == f"How the claim was read: {c10['note']}" for n in c.notes)
    assert "rank_at_most" not in " ".join(c.notes)


def test_a_bar_that_is_mostly_one_row_of_the_file_says_so():
    """The 2026 'other drugs' of the seizures-by-drug chart: the largest row of CBP's file for
    that drug and year, read here from the raw CSV, is named with its office and month."""
    from indicators.store import REPO_DATA

    raw = pd.read_csv(REPO_DATA / "raw/cbp_seizures/nationwide-drugs-fy23-fy26-apr.csv.gz")
    other = raw[
        raw["Drug Type"].str.startswith("Other Drugs")
        & raw["FY"].astype(str).str.startswith("2026")
    ]
    big = other.loc[other["Sum Qty (lbs)"].idxmax()]
    c = charts.build("seizures_by_drug", Filters(basis="fiscal"), None, None)
    note = next(n for n in c.notes if "of other drugs in FY2026" in n)
    assert f"{big['Sum Qty (lbs)']:,.0f} lb at {big['Area of Responsibility'].title()}" in note
    seg = c.data.set_index(["year", "drug"]).loc[(2026, "other_drugs"), "quantity"]
    assert note.startswith(f"One monthly figure is {big['Sum Qty (lbs)'] / seg:.0%} of other drugs")
    assert "FY2026 (Oct 2025-" in note  # a partial year says its months
    # seizure counts have no such row: no note
    c = charts.build("seizures_by_drug", Filters(basis="fiscal", measure="events"), None, None)
    assert not [n for n in c.notes if "One monthly figure" in n]


def test_what_to_click_is_left_off_slides_and_exports():
    from indicators.charts import style

    app_notes = charts.build("seizures_by_drug", Filters(), None, None).notes
    assert "Pick a drug above for its own charts." in app_notes
    for size in (style.EXPORT, style.PRESENT):
        notes = charts.build("seizures_by_drug", Filters(), None, None, size).notes
        assert not [n for n in notes if "above" in n], notes
        assert set(app_notes) - set(notes) == {"Pick a drug above for its own charts."}


@pytest.mark.parametrize(
    "f",
    [Filters(), Filters(basis="fiscal", year_from=2023, year_to=2023),
     Filters(basis="fiscal", year_from=2024, year_to=2024, region="Southwest Border"), Filters(measure="events")],
)  # fmt: skip
def test_the_drug_said_to_be_most_of_the_weight_is_most_of_what_is_drawn(f):
    """'Marijuana dominates the weight' was a fixed sentence: in FY2023 cocaine weighed more,
    on the Southwest border in FY2024 methamphetamine. The note names the heaviest drug drawn
    with its share, and only when it is more than half."""
    c = charts.build("seizures_by_drug", f, None, None)
    totals = c.data.groupby("drug")[f.measure].sum().sort_values(ascending=False)
    share = totals.iloc[0] / totals.sum()
    said = [n for n in c.notes if n.endswith("of the weight drawn.")]
    if f.measure == "quantity" and share >= 0.5:
        assert said == [
            f"{charts.style.label('drug', totals.index[0])} is {share:.0%} of the weight drawn."
        ]
    else:
        assert said == [] and not [n for n in c.notes if "dominates" in n]


def test_a_component_whose_file_ended_is_named_on_the_component_chart():
    c = charts.build("seizures_by_component", Filters(), None, None)
    amo = c.data[c.data["component"] == "Air and Marine Operations"]
    last = int(amo["year"].max())
    assert any(n.startswith(f"No Air and Marine (AMO) figures in {last + 1}") for n in c.notes) == (
        last + 1 in set(c.data["year"])
    )
    assert not [n for n in c.notes if "may end earlier" in n]


def test_every_value_axis_ends_on_a_gridline_above_the_tallest_bar(evaluated):
    """Each bar or line chart's value axis has gridlines at a declared step (1, 2, 2.5 or 5
    times a power of ten) and ends just above a gridline that stands above the tallest bar:
    no bar ends above the last gridline (it read as cut off), and that gridline is drawn
    (inside the range, not on its edge, where Plotly leaves it out)."""
    import math

    checked = 0
    for name in charts.CHARTS:
        c = charts.build(name, Filters(), None, evaluated)
        ax = c.fig.layout.yaxis
        if not ax.range or not ax.dtick or ax.range[0] not in (0, 0.0):
            continue
        top, step = float(ax.range[1]), float(ax.dtick)
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(abs(mantissa - m) < 1e-9 for m in (1, 2, 2.5, 5)), (name, step)
        last_line = math.floor(top / step + 1e-9) * step
        assert 0 < top - last_line < 0.01 * top, (name, top, step)  # just above a gridline
        stack: dict = {}
        tallest = 0.0
        for t in c.fig.data:
            if t.type == "bar" and t.y is not None:
                for x, y in zip(t.x, t.y, strict=True):
                    if y is not None and math.isfinite(float(y)):
                        stack[x] = stack.get(x, 0.0) + float(y)
                        tallest = max(tallest, float(y))
        if c.fig.layout.barmode == "stack" and stack:
            tallest = max(tallest, max(stack.values()))
        assert tallest < last_line, (name, tallest, last_line)
        checked += 1
    assert checked > 12


def test_encounter_notes_say_what_a_year_holds_and_what_the_words_mean():
    c = charts.build("encounters_citizenship", Filters(), None, None)
    # the later years are drawn (purple, as on the by-component chart); a partial one is
    # hatched and named with its months, not drawn as a full year
    later = c.data[c.data["table"] == "by State"]
    part = later[later["partial"].astype(bool)]
    assert len(later) and len(part)
    hatched = next(n for n in c.notes if n.startswith("Hatched bars are partial years"))
    for y, months in zip(part["year"], part["months_label"], strict=True):
        assert f"{int(y)}: {months}" in hatched
    # calendar years: Oct-Dec 2024 fall in a year the by-area files cover in part, and are
    # named; on fiscal years FY2025 is wholly after them: no such months
    assert any(n.startswith("Not drawn: Oct") for n in c.notes)
    fiscal = charts.build("encounters_citizenship", Filters(basis="fiscal"), None, None)
    assert not any(n.startswith("Not drawn") for n in fiscal.notes)
    titles = next(n for n in c.notes if "Title 8" in n)
    assert "immigration law" in titles and "public-health expulsions" in titles
    b = charts.build("encounters_breakdown", Filters(dimension="land_border_region"), None, None)
    assert b.title == "CBP encounters by region"  # one of its regions is not a land border


def test_subtitles_name_the_years_drawn():
    c = charts.build("states_deaths_annual", Filters(), None, None)
    years = sorted(set(c.data["year"]))
    assert f"{years[0]}-{years[-1]}, calendar years" in c.fig.layout.title.subtitle.text
    c = charts.build("deaths_provisional", Filters(), None, None)
    first = pd.Timestamp(c.data["period_end"].min())
    assert f"{first:%B %Y} to " in c.fig.layout.title.subtitle.text.replace("<br>", " ")


@pytest.mark.parametrize("name", ["deaths_state_map", "deaths_state_bar"])
def test_census_is_a_source_only_where_a_rate_is_computed_from_it(name):
    from indicators import series

    years = series.death_state_years(None)
    for year in (max(years["final"]), max(years["provisional"])):
        c = charts.build(name, Filters(state_year=year), None, None)
        foot = " ".join(a.text for a in c.fig.layout.annotations if a.text).replace("<br>", " ")
        crude = c.data["rate_kind"].str.startswith("crude").any()
        assert ("Census Bureau" in foot) == crude, (year, foot[:200])


def test_lines_that_stop_at_different_times_get_a_key_that_says_where():
    """The monthly China chart: the components' lines end in Sep 2024 and the by-State total
    runs on. Labels at the line ends put one line's words beside another's end, so the chart
    has a key instead; a line that stops early is named with its last month (read from the
    drawn data). A chart whose lines all end together keeps its labels at the ends."""
    c = charts.build("encounters_citizenship_monthly", Filters(), None, None)
    assert not [a for a in c.fig.layout.annotations if a.name == "direct_label"]
    assert c.fig.layout.showlegend
    keyed = {t.name.replace("<br>", " "): t for t in c.fig.data if t.showlegend}
    ends = {}
    for t in c.fig.data:
        if t.type == "scatter" and t.mode == "lines" and t.y is not None:
            xs = [x for x, y in zip(t.x, t.y, strict=True) if y is not None]
            if xs:
                ends[t.legendgroup] = max(ends.get(t.legendgroup, ""), max(xs))
    latest = max(ends.values())
    assert len(keyed) == len(ends)  # one key entry per series
    for name, t in keyed.items():
        last = ends[t.legendgroup]
        said = f", to {pd.Timestamp(last):%b %Y}"
        assert name.endswith(said) == (last < latest), (name, last, latest)
    together = charts.build("deaths_provisional", Filters(), None, None)
    assert [a for a in together.fig.layout.annotations if a.name == "direct_label"]


def test_a_card_over_several_years_gives_its_verdict_and_no_line_starts_with_a_dot(evaluated):
    c01 = evaluated[evaluated.claim_id == "C01"].iloc[0].to_dict()
    c = charts.claim_chart(c01)
    total = c.data.loc[
        c.data["year"].between(int(c01["year_start"]), int(c01["year_end"])), "deaths"
    ].sum()
    note = next(n for n in c.notes if n.startswith("The claim:"))
    assert (
        f"The bars sum to {total:,.0f} deaths. Verdict: {c01['verdict'].replace('_', ' ')}." in note
    )
    for text in [c.fig.layout.title.subtitle.text, *(a.text for a in c.fig.layout.annotations)]:
        assert not any(line.startswith("·") for line in (text or "").split("<br>")), text


@pytest.mark.parametrize("name", ["deaths_state_map", "states_small_multiples"])
def test_tile_maps_and_small_multiples_grow_on_a_slide(name):
    """In presentation mode and exports a tile map or the small multiples is taller and its
    words larger than on the page (they kept the page's 12 px and 560 px); the page's own
    figure is left as it was (new dicts, not the view's)."""
    from indicators.charts import style

    def sizes(c):
        return c.spec["layout"]["height"], [
            t["textfont"]["size"] for t in c.spec["data"] if "textfont" in t
        ]

    page_h, page_t = sizes(charts.build(name, Filters(), None, None))
    for size in (style.PRESENT, style.EXPORT):
        h, t = sizes(charts.build(name, Filters(), None, None, size))
        assert page_h < h <= size.height * 1.2 and all(
            b > a for a, b in zip(page_t, t, strict=True)
        )
    assert sizes(charts.build(name, Filters(), None, None)) == (page_h, page_t)


def test_an_event_has_one_number_on_every_chart(evaluated):
    """Seizure and encounter charts draw different events of the article; each event keeps its
    number (its place in date order among all the article's events) on every chart."""
    seen: dict[str, set[str]] = {}
    for name in (
        "seizures_by_component",
        "seizures_monthly",
        "encounters_citizenship",
        "deaths_provisional",
    ):
        c = charts.build(name, Filters(), None, evaluated)
        foot = " ".join(a.text for a in c.fig.layout.annotations if a.text).replace("<br>", " ")
        for n, label in re.findall(r"\[(\d+)\] [^:]+: ([^·\[]{0,25})", foot):
            seen.setdefault(label.strip(), set()).add(n)
    assert len(seen) > 4
    assert all(len(ns) == 1 for ns in seen.values()), seen
    art = evaluated[evaluated.kind == "event"]
    art = art[art.article_id == art.article_id.iloc[0]].sort_values(["event_date", "claim_id"])
    firsts = {label for label, ns in seen.items() if ns == {"1"}}
    assert any(str(art.label.iloc[0]).startswith(f[:20]) for f in firsts)


def test_event_badges_never_touch_and_stay_near_their_lines():
    """Badges are as wide as their text: two badges 40 px apart ('2-3' and '4-6,8-9') that
    would share a border are moved apart, each as little as it can be, and none passes the
    plot's right edge."""
    from indicators.charts.render import _apart, _px

    w = [_px(len(t), 11) + 10 for t in ("2-3", "4-6,8-9")]
    shifts = _apart([100.0, 140.0], w, right=600)
    left, right = 100.0 + shifts[0], 140.0 + shifts[1]
    assert right - w[1] / 2 - (left + w[0] / 2) >= 8  # apart
    assert shifts[0] == 0 and 0 < shifts[1] < 40  # the later one moved, by what it needed
    assert _apart([100.0, 300.0], w, right=600) == [0, 0]  # far enough apart: left alone
    # at the right edge the last one is pulled back inside, the one before it makes room
    near_end = _apart([560.0, 590.0], w, right=600)
    ends = [560.0 + near_end[0] + w[0] / 2, 590.0 + near_end[1] + w[1] / 2]
    assert ends[1] <= 600 and (590.0 + near_end[1] - w[1] / 2) - ends[0] >= 8
    # on a chart: the seed article's events over the pill seizures, each badge over its lines
    ev = claims.evaluate_all(article="epoch-2024-09-ccp-drug-network")
    c = charts.build("seizures_dea_pills", Filters(), None, ev)
    badges = [a for a in c.fig.layout.annotations if a.name == "event_badge"]
    assert len(badges) >= 3 and any(abs(b.xshift) > 0 for b in badges)
    assert all(abs(b.xshift) < 40 for b in badges)  # moved a little, not away from its lines


def test_a_claim_beside_the_years_points_not_over_them(evaluated):
    """On the annual deaths chart a year has a reported and a predicted point side by side;
    C02's 75,000 for 2023 is within 1% of both: its marker goes beside them (it hid both).
    The points are filled white: an event's dotted line behind one does not cross it."""
    ev = evaluated[evaluated.article_id == "epoch-2024-09-ccp-drug-network"]
    c = charts.build("deaths_annual", Filters(death_drug="synthetic_opioids"), None, ev)
    claim = next(t for t in c.fig.data if (t.name or "").startswith("Claim C02"))
    points = [t for t in c.fig.data if t.type == "scatter" and t.showlegend and t.mode == "markers"]
    assert len(points) == 2
    year = round(claim.x[0])
    xs = [x for t in points for x in t.x if round(x) == year]
    assert len(xs) == 2
    # a year is about 65 px wide at the page's narrowest: 0.2 of a year is some 13 px, the
    # claim's halo (22 px) and a point (12 px) each reach 11 and 6 px from their centres
    assert min(abs(claim.x[0] - x) for x in xs) >= 0.2
    assert claim.x[0] - year < 0.5  # still inside its year's slot
    for t in points:
        assert t.marker.color == "#ffffff" and t.marker.line.color not in (None, "#ffffff")
        assert not t.marker.symbol.endswith("-open")
    # the events' dotted lines stay at their dates and break around a point they would cross
    # (Aug 2024 ran down the 2024 diamond; moved beside it, 1 May 2019 was drawn in July)
    import datetime as dt

    from indicators.charts import overlays

    lines = [sh for sh in c.fig.layout.shapes if sh.name == "event_line"]
    events = ev[(ev.kind == "event") & ev.event_date.astype(str).str.startswith("20")]
    dates = {  # across the year's bar: a bar chart (points beside the bars)
        round(overlays.event_x(dt.date.fromisoformat(d), "year", "calendar", 0.75), 6)
        for d in events.event_date
    }
    assert len(lines) >= 4
    # at its date, or a few days out where it would run down a bar's edge (at most 0.12)
    assert all(min(abs(sh.x0 - d) for d in dates) <= 0.1201 for sh in lines)
    assert sum(round(sh.x0, 6) in dates for sh in lines) >= len(lines) - 2
    y0, y1 = c.fig.layout.yaxis.range
    crossed = 0
    for t in points:
        for x, y in zip(t.x, t.y, strict=True):
            near = [sh for sh in lines if y is not None and abs(sh.x0 - x) < 0.12]
            yf = (y - y0) / (y1 - y0) if y is not None else None
            crossed += bool(near)
            assert not [sh for sh in near if sh.y0 < yf < sh.y1], (x, y)
    assert crossed  # some line did meet a point, and broke around it


def test_breakdowns_explain_their_categories():
    """By citizenship: CBP's residual 'Other' is not one of the ten largest citizenships (it
    is not a citizenship) but part of 'All others', said so; by title of authority: what Title
    8 and Title 42 are."""
    from indicators import series

    f = Filters(basis="fiscal", dimension="citizenship")
    c = charts.build("encounters_breakdown", f, None, None)
    names = [t.name for t in c.fig.data if t.type == "bar"]
    assert "All others" in names and len(names) == 11
    assert not [n for n in names if "Other" in n and n != "All others"]
    foot = next(a.text for a in c.fig.layout.annotations if a.name == "source")
    assert "residual group" in foot.replace("<br>", " ")
    # the ten drawn are the ten largest citizenships, from the table itself
    raw = series.encounters_by(f, "citizenship", None)
    totals = raw.groupby("citizenship")["encounters"].sum().drop("OTHER").nlargest(10)
    assert {charts.style.label("citizenship", k) for k in totals.index} == set(names) - {
        "All others"
    }
    t = charts.build("encounters_breakdown", f.with_(dimension="title_of_authority"), None, None)
    foot = next(a.text for a in t.fig.layout.annotations if a.name == "source")
    assert "Title 42 (public-health expulsions" in foot.replace("<br>", " ")


def test_many_lines_get_a_key_not_labels_at_their_ends():
    """Eight states and the nation end within a few deaths per 100,000 of each other: labels
    at the ends needed leaders that met in one knot. Up to MAX_DIRECT lines keep end labels."""
    from indicators.charts.render import MAX_DIRECT

    few = charts.build("states_deaths_trend", Filters(states=("WV", "OH", "AZ")), None, None)
    assert len([a for a in few.fig.layout.annotations if a.name == "direct_label"]) == 4
    many = Filters(states=("WV", "OH", "AZ", "TX", "CA", "FL", "NY", "PA"))
    c = charts.build("states_deaths_trend", many, None, None)
    keyed = [t.name for t in c.fig.data if t.showlegend]
    assert len(keyed) == 9 > MAX_DIRECT  # the eight and the United States
    assert not [a for a in c.fig.layout.annotations if a.name in ("direct_label", "leader")]
    assert not [sh for sh in c.fig.layout.shapes if sh.name == "leader"]


def test_the_index_base_line_is_drawn_over_the_gridlines():
    """Plotly draws a 'below' shape under the gridlines: with a gridline at 100 the index's
    dashed base line vanished. It is drawn between the gridlines and the data."""
    for basis in ("calendar", "fiscal"):
        c = charts.build("overview_index", Filters(basis=basis), None, None)
        (ref,) = [sh for sh in c.fig.layout.shapes if sh.name == "reference"]
        assert ref.y0 == ref.y1 == 100 and ref.line.dash == "dash"
        assert ref.layer == "between"
        assert 100 % c.fig.layout.yaxis.dtick == 0  # a gridline at 100, where it was hidden


def test_regions_stack_in_the_same_order_on_both_pages():
    """Seizures by region and encounters by region stack (and list in their keys) the
    southwest, the north and the coastal/interior rest in the same order, in the same colours."""
    from indicators.charts import style

    def stack(c):
        return list(dict.fromkeys(t.marker.color for t in c.fig.data if t.type == "bar"))

    for f in (Filters(), Filters(basis="fiscal")):
        enc = charts.build(
            "encounters_breakdown", f.with_(dimension="land_border_region"), None, None
        )
        seiz = charts.build("seizures_by_region", f, None, None)
        assert (
            stack(enc)
            == stack(seiz)
            == [
                style.colour(r) for r in ("Southwest Border", "Northern Border", "Coastal/Interior")
            ]
        )


def test_a_line_ending_on_a_lone_dot_has_its_month_in_the_label_and_a_leader():
    """The states' lines stop in Nov/Dec 2023 and their December 2024 figure stands alone (the
    months between are not in the files). A dot just left of its label, level with it, read
    as a legend's bullet: such a label names the dot's month and a leader joins them. A line
    whose end is joined to the months before (the United States here) keeps its plain name."""
    c = charts.build("states_deaths_trend", Filters(states=("WV", "OH", "AZ")), None, None)
    labels = [a for a in c.fig.layout.annotations if a.name == "direct_label"]
    leaders = [sh for sh in c.fig.layout.shapes if sh.name == "leader"]
    alone = {}
    for t in c.fig.data:
        if t.type == "scatter" and t.mode == "lines" and t.line.dash == "solid":
            ys = list(t.y)
            i = max(k for k, y in enumerate(ys) if y is not None)
            alone[t.name] = (ys[i - 1] is None, pd.Timestamp(t.x[i]))
    assert len(alone) == 4 and sum(a for a, _ in alone.values()) == 3, alone
    for name, (lone, when) in alone.items():
        text = next(a.text for a in labels if a.text.replace("<br>", " ").startswith(name))
        assert text.replace("<br>", " ").endswith(f", {when:%b %Y}") == lone, (name, text)
    # one leader from each lone dot, starting right of the dot (not on it)
    assert len(leaders) >= 3
    assert all(sh.x1 > 1 and sh.x0 < 1 for sh in leaders)


@pytest.mark.parametrize(
    "name,f,table,value,rows",
    [
        ("seizures_monthly", Filters(drug="heroin"), "seizures", "quantity", {"drug": "heroin"}),
        ("seizures_monthly", Filters(drug="methamphetamine", measure="events", region="Northern Border"),
         "seizures", "events", {"drug": "methamphetamine", "region": "Northern Border"}),
        ("encounters_citizenship_monthly", Filters(citizenship="RUSSIA"), "encounters", "encounters",
         {"citizenship": "RUSSIA"}),
    ],
)  # fmt: skip
def test_a_month_without_a_row_in_cbp_files_is_drawn_as_zero(name, f, table, value, rows):
    """CBP's files have no row for a month without a seizure (or an encounter) of a kind: in
    the months a component's files cover, that is a zero. The line drops to it and goes on to
    the file's last month; it is not joined across the empty months, nor said to stop early."""
    from indicators import query

    df = query.load(table)
    if table == "seizures":
        df = df[df.agency == "CBP"]
    c = charts.build(name, f, None, None)
    zeros = checked = 0
    for t in c.fig.data:
        if t.type != "scatter" or t.mode != "lines" or not t.legendgroup:
            continue
        comp = next((k for k in df.component.unique() if esc(str(k)) == t.legendgroup), None)
        if comp is None:  # the by-State total beside the components: another table
            continue
        checked += 1
        own = df[df.component == comp]
        held = {
            (y, m)
            for y, m in zip(own.year, own.month, strict=True)
            if f.year_from <= y <= f.year_to
        }
        sel = own
        for col, v in rows.items():
            sel = sel[sel[col] == v]
        sums = sel.groupby(["year", "month"])[value].sum()
        drawn = {
            (pd.Timestamp(x).year, pd.Timestamp(x).month): y for x, y in zip(t.x, t.y, strict=True)
        }
        assert set(drawn) == held, comp  # every month the files cover, no other
        for ym, y in drawn.items():
            want = float(sums.get(ym, 0))
            assert y == pytest.approx(want, abs=0.01), (comp, ym)
            zeros += want == 0
    assert checked >= 2 and zeros > 0  # the case is one with empty months


def _badge_numbers(fig) -> set[int]:
    """The event numbers on a chart's badges ('4-6,8-9' is 4, 5, 6, 8, 9)."""
    out = set()
    for a in fig.layout.annotations:
        if a.name == "event_badge":
            for part in re.sub("<[^>]+>", "", a.text).split(","):
                lo, _, hi = part.partition("-")
                out |= set(range(int(lo), int(hi or lo) + 1))
    return out


@pytest.mark.parametrize("basis", ["calendar", "fiscal"])
def test_events_are_drawn_only_in_the_years_a_chart_shows(evaluated, basis):
    """An event of November 2023 sat in the margin left of a 2024-2025 chart's first bar (the
    axis leaves room around the bars). An event is drawn where its date falls within the
    years (calendar or fiscal) or months drawn; November 2023 is in FY2024."""
    import datetime as dt

    from indicators.claims import event_numbers

    recs = evaluated.to_dict("records")
    numbers = event_numbers([r for r in recs if r.get("kind") == "event"])
    when = {
        numbers[(str(r["article_id"]), str(r["claim_id"]))]: dt.date.fromisoformat(str(r["event_date"])[:10])
        for r in recs
        if r.get("kind") == "event" and (str(r["article_id"]), str(r["claim_id"])) in numbers
    }  # fmt: skip
    f = Filters(basis=basis, year_from=2024, year_to=2025)
    start = dt.date(2023, 10, 1) if basis == "fiscal" else dt.date(2024, 1, 1)
    seen = set()
    for name in (
        "seizures_by_component",
        "seizures_by_drug",
        "seizures_monthly",
        "encounters_by_component",
    ):
        for n in _badge_numbers(charts.build(name, f, None, evaluated).fig):
            assert when[n] >= start, (name, n, when[n])
            seen.add(n)
    early = {n for n, d in when.items() if dt.date(2023, 10, 1) <= d < dt.date(2024, 1, 1)}
    assert early, when  # the article has events in Oct-Dec 2023
    assert bool(early & seen) == (basis == "fiscal")


def test_an_event_is_drawn_only_on_charts_of_what_it_is_about(evaluated):
    """The seed article's events are about fentanyl and China (their filters say so): none on
    a chart of methamphetamine seizures, of cocaine deaths or of India's citizens; drawn where
    every drug, synthetic opioids or the totals are shown. Read from the evaluated rows."""
    from indicators.charts.overlays import event_applies
    from indicators.claims import event_numbers, parse_filters

    recs = [r for r in evaluated.to_dict("records") if r.get("kind") == "event"]
    numbers = event_numbers(recs)
    about = {numbers[(str(r["article_id"]), str(r["claim_id"]))]: parse_filters(r["filters"] or "") for r in recs}  # fmt: skip
    fentanyl = {n for n, f in about.items() if f.get("drug") == ["fentanyl"]}
    china = {n for n, f in about.items() if "citizenship" in f}
    assert fentanyl and china and china <= fentanyl

    def drawn(name: str, f: Filters) -> set[int]:
        return _badge_numbers(charts.build(name, f, None, evaluated).fig)

    assert not drawn("seizures_monthly", Filters(drug="methamphetamine")) & fentanyl
    assert not drawn("seizures_by_component", Filters(drug="cocaine")) & fentanyl
    assert not drawn("deaths_annual", Filters(death_drug="cocaine")) & fentanyl
    assert not drawn("encounters_citizenship", Filters(citizenship="INDIA")) & china
    assert drawn("seizures_by_component", Filters()) & fentanyl  # fentanyl is the default drug
    assert drawn("seizures_by_drug", Filters()) & fentanyl  # every drug
    assert drawn("deaths_annual", Filters(death_drug="synthetic_opioids")) & fentanyl
    assert drawn("deaths_provisional", Filters()) & fentanyl  # all drugs among the lines
    assert drawn("encounters_citizenship", Filters()) & china  # China is the default
    assert drawn("encounters_by_component", Filters()) & china  # every citizenship
    # the rule itself: an unreadable or empty filter is no limit
    assert event_applies({"filters": ""}, {"drug": frozenset({"cocaine"})})
    assert event_applies({"filters": "drug=fentanyl"}, {"citizenship": frozenset({"INDIA"})})


def test_no_chart_speaks_of_the_project_and_a_caveat_reads_as_the_exception(evaluated):
    """Words for a reader: 'the project's NCHS files' on a slide meant nothing to one. A
    compiled file with one figure from a secondary source says so as the exception to
    'compiled from official tables', not as a sentence beside it."""
    texts = []
    for name in charts.CHARTS:
        for f in (Filters(), Filters(death_drug="synthetic_opioids", year_from=2015)):
            c = charts.build(name, f, None, evaluated)
            texts += [a.text for a in c.fig.layout.annotations if a.text]
    for _, c in evaluated.iterrows():
        if c["kind"] == "quantitative":
            texts += [str(c["note"]), str(c["explanation"])]
            card = charts.claim_chart(c.to_dict())  # None: a claim the data cannot check
            texts += [a.text for a in card.fig.layout.annotations if a.text] if card else []
    flat = html.unescape(" ".join(texts).replace("<br>", " "))  # figures hold escaped text
    assert "project's" not in flat
    synth = charts.build("deaths_annual", Filters(death_drug="synthetic_opioids"), None, None)
    foot = next(a.text for a in synth.fig.layout.annotations if a.name == "source").replace(
        "<br>", " "
    )
    assert "(compiled from official tables, except: the 2023 synthetic-opioid count" in foot


def test_a_national_count_below_the_dea_count_is_explained():
    """In 2022 the HIDTA pill count (law enforcement reporting to the program) is below DEA's
    own: a reader asks how everyone seized less than one agency. The note names each such year
    with both figures, read from the rows drawn; the label does not say 'all' law enforcement."""
    c = charts.build("seizures_dea_pills", Filters(), None, None)
    d = c.data[c.data.series == "fentanyl_pills"]
    by = d.pivot_table(index="year", columns="agency", values="quantity", aggfunc="max").dropna()
    below = by[by.HIDTA < by.DEA]
    assert len(below)  # the bundled figures have such a year
    note = next(n for n in c.notes if n.startswith("HIDTA's count is below DEA's"))
    for y, r in below.iterrows():
        assert f"{int(y)}: HIDTA {r.HIDTA:,.0f}, DEA {r.DEA:,.0f} pills" in note
    assert not [t.name for t in c.fig.data if "All U.S." in (t.name or "")]
    powder = charts.build("seizures_dea_powder", Filters(), None, None)
    pw = powder.data[powder.data.series == "fentanyl_powder"]
    pby = pw.pivot_table(index="year", columns="agency", values="quantity", aggfunc="max")
    has_below = {"DEA", "HIDTA"} <= set(pby.columns) and (
        pby.dropna().HIDTA < pby.dropna().DEA
    ).any()
    assert any(n.startswith("HIDTA's count is below") for n in powder.notes) == has_below


def test_a_card_starts_at_its_first_year_with_a_figure(evaluated):
    """A card's context years before the claim's: C04's began with three 'no data' years
    (2020-2022) before DEA's only year-to-date figure. The axis starts at the first year with a
    figure (or the claim's year); a gap between figures stays, said as 'no data'."""
    seen = 0
    for _, row in evaluated[evaluated.kind == "quantitative"].iterrows():
        c = charts.claim_chart(row.to_dict())
        ticks = list(c.fig.layout.xaxis.ticktext or []) if c else []
        if not ticks or int(row["year_start"]) != int(row["year_end"]):
            continue
        seen += 1
        claim_year = str(int(row["year_end"]))
        first = ticks[0]
        assert "no data" not in first or claim_year in first.split("<br>")[0], (
            row["claim_id"],
            ticks,
        )
    assert seen >= 4


def test_a_card_on_a_slide_has_no_words_about_where_to_click(evaluated):
    """'Full-year DEA figures are on the Seizures page' helps on the page and means nothing on
    a slide: a year-to-date card says it on the page only; the hatching is explained on both."""
    from indicators.charts import style

    c04 = evaluated[evaluated.claim_id == "C04"].iloc[0].to_dict()

    def foot(size) -> str:
        c = charts.claim_chart(c04, size=size)
        return next(a.text for a in c.fig.layout.annotations if a.name == "source").replace(
            "<br>", " "
        )

    page, slide = foot(style.CARD), foot(style.CARD_PRESENT)
    assert "Seizures page" in page and "Seizures page" not in slide
    assert "Hatched: year-to-date figures" in page and "Hatched: year-to-date figures" in slide


def test_line_end_labels_are_readable_on_white_in_their_series_colour():
    """A sand-yellow state's label was hard to read: each label is its line's colour, darkened
    where needed to a contrast of 3 or more against white (same hue: the channels scaled)."""
    from indicators.charts import style

    c = charts.build("states_deaths_trend", Filters(states=("WV", "OH", "AZ")), None, None)
    line_col = {
        t.name: t.line.color for t in c.fig.data if t.mode == "lines" and t.line.dash == "solid"
    }
    labels = [a for a in c.fig.layout.annotations if a.name == "direct_label"]
    assert len(labels) == 4
    darkened = 0
    for a in labels:
        name = next(n for n in line_col if a.text.replace("<br>", " ").startswith(n))
        want, got = line_col[name], a.font.color
        assert 1.05 / (style._luminance(got) + 0.05) >= 3.0, (name, got)
        w = [int(want[i : i + 2], 16) for i in (1, 3, 5)]
        g = [int(got[i : i + 2], 16) for i in (1, 3, 5)]
        k = max(g) / max(w)
        assert k <= 1 and all(abs(gv - wv * k) <= 1.5 for gv, wv in zip(g, w, strict=True)), (
            want,
            got,
        )
        darkened += got.upper() != want.upper()
    assert darkened >= 1  # the sand yellow among the first three states' colours


def test_a_state_keeps_its_colour_whatever_the_order_and_two_chosen_states_differ():
    """Colours went by the order states were chosen: Texas was dark red alone and brown after
    West Virginia and Ohio, so two slides showed one state in two colours. A state now has its
    own colour, kept in any order and in any selection where no state before it has that colour
    or one near it; any two states chosen together are far apart; none of the first colours is
    the purple of the by-State total."""
    import itertools

    from indicators import contract
    from indicators.charts import states, style

    assert states._colours(["WV", "OH", "TX"]) == states._colours(["TX", "OH", "WV"])
    codes = sorted(contract.STATE_CODES)
    home = {g: states._colours([g])[g] for g in codes}
    for a, b in itertools.combinations(codes, 2):
        pair = states._colours([a, b])
        assert _distance(pair[a], pair[b]) >= 35, (a, b, pair)
        assert pair[a] == home[a]  # the first (alphabetically) keeps its own
        if _distance(home[a], home[b]) >= 35:
            assert pair[b] == home[b], (a, b)
    total = style.colour("by_state_total")
    assert all(_distance(c, total) >= 20 for c in style.STATE_COLOURS[:4])


@pytest.mark.parametrize(
    "name", ["seizures_monthly", "encounters_citizenship_monthly", "states_encounters_trend"]
)
def test_monthly_charts_on_the_fiscal_basis_mark_where_fiscal_years_begin(name):
    """The subtitle said 'federal fiscal year' and the ticks were Januaries: on the fiscal basis
    a monthly chart's ticks stand at 1 October, named as such; on the calendar basis Plotly's
    own ticks (Januaries) stay."""
    fiscal = charts.build(name, Filters(basis="fiscal"), None, None)
    ax = fiscal.fig.layout.xaxis
    assert ax.tickvals and len(ax.tickvals) == len(ax.ticktext) >= 3
    for val, text in zip(ax.tickvals, ax.ticktext, strict=True):
        d = pd.Timestamp(val)
        assert (d.month, d.day) == (10, 1) and text == f"Oct {d.year}"
        assert ax.range[0] <= val <= ax.range[1]
    assert not charts.build(name, Filters(), None, None).fig.layout.xaxis.tickvals
    # two fiscal years: each quarter, from October (two ticks for 24 months said too little)
    short = charts.build(name, Filters(basis="fiscal", year_from=2024, year_to=2025), None, None)
    ticks = list(short.fig.layout.xaxis.ticktext)
    assert ticks[0].startswith("Oct") and len(ticks) >= 6
    assert [t[:3] for t in ticks[:4]] == ["Oct", "Jan", "Apr", "Jul"]


def test_the_later_total_beside_the_components_is_said_to_be_their_sum_and_is_in_the_data():
    """The purple by-State total after the area files end started above both component lines,
    read as one of them jumping. Its note says it is their total and gives the last sum of the
    two lines and the total's first value (read from the drawn lines); the chart's table (CSV)
    holds the purple line's numbers too."""
    c = charts.build("encounters_citizenship_monthly", Filters(), None, None)
    lines = {
        t.legendgroup: t
        for t in c.fig.data
        if t.type == "scatter" and t.mode == "lines" and t.legendgroup
    }
    total = next(t for g, t in lines.items() if "by_state" in g)
    parts = [t for g, t in lines.items() if "by_state" not in g]
    last = max(max(x for x, y in zip(t.x, t.y, strict=True) if y is not None) for t in parts)
    summed = sum(dict(zip(t.x, t.y, strict=True)).get(last) or 0 for t in parts)
    first = next((x, y) for x, y in zip(total.x, total.y, strict=True) if y is not None)
    note = next(n for n in c.notes if n.startswith("Purple"))
    assert "the total of the two lines" in note
    assert f"summed to {summed:,.0f}" in note and f"starts at {first[1]:,.0f}" in note
    drawn = {
        (pd.Timestamp(x).date(), y) for x, y in zip(total.x, total.y, strict=True) if y is not None
    }
    rows = c.data[c.data.component.str.contains("together")]
    assert {(d, float(v)) for d, v in zip(rows.date, rows.encounters, strict=True)} == drawn


def test_a_claims_note_gives_advice_that_brings_the_claim(evaluated):
    """'Switch to fiscal year to see it' under India's encounters (for China's claims) or under
    heroin seizures (for a fentanyl claim) would not bring the claim: a claim about another
    country is not named; one about another drug asks for that drug first."""
    india = charts.build("encounters_citizenship", Filters(citizenship="INDIA"), None, evaluated)
    assert not [n for n in india.notes if "Claims not drawn" in n]
    heroin = charts.build("seizures_by_component", Filters(drug="heroin"), None, evaluated)
    note = next(n for n in heroin.notes if "Claims not drawn" in n)
    assert "choose fentanyl above" in note and "switch to fiscal" not in note
    fentanyl = charts.build("seizures_by_component", Filters(), None, evaluated)
    assert "switch to fiscal year" in next(n for n in fentanyl.notes if "Claims not drawn" in n)


@pytest.mark.parametrize("agencies", [("DEA", "HIDTA"), ("DEA",), ("HIDTA",)])
def test_dea_and_hidta_charts_name_what_they_draw(agencies):
    """The title names the agencies whose figures are drawn (HIDTA as those reporting to it,
    not 'national'); HIDTA's note only where its figures are; an empty chart names the agencies
    chosen, not ones that are not."""
    f = Filters(agencies=(*agencies, "OFO", "USBP", "AMO", "CDC"))
    for name in ("seizures_dea_pills", "seizures_dea_powder"):
        c = charts.build(name, f, None, None)
        title = c.fig.layout.title.text
        drawn = set(c.data.agency) if len(c.data) else set()
        assert "national" not in title.lower()
        assert ("DEA" in title) == ("DEA" in (drawn or set(agencies)))
        assert ("HIDTA" in title) == ("HIDTA" in (drawn or set(agencies)))
        assert any(n.startswith("HIDTA:") for n in c.notes) == ("HIDTA" in drawn)
        empty = [a.text for a in c.fig.layout.annotations if a.name == "empty"]
        if not drawn:
            assert empty and ("DEA" in empty[0]) == ("DEA" in agencies)


def test_a_card_without_a_figure_for_the_claims_year_does_not_speak_of_a_dark_bar(evaluated):
    """C04's year (2024) has no figure: its note said 'Dark: the year the claim is about' over
    light bars only. A card says 'dark' only where the claim's year has a bar."""
    for _, row in evaluated[evaluated.kind == "quantitative"].iterrows():
        if row["year_start"] != row["year_end"] or row["comparator"] == "rank_at_most":
            continue
        c = charts.claim_chart(row.to_dict())
        if c is None:
            continue
        foot = next(a.text for a in c.fig.layout.annotations if a.name == "source")
        year_bar = c.data[c.data.iloc[:, 0].astype(int) == int(row["year_end"])]
        assert ("Dark: the year the claim is about" in foot) == (len(year_bar) > 0), row["claim_id"]


@pytest.mark.parametrize("name", ["seizures_by_component", "seizures_by_region"])
def test_a_bar_that_is_mostly_one_row_of_cbps_files_says_so_on_every_chart_of_the_drug(name):
    """One AMO row (a branch, a month) is most of a year's heroin: the by-drug chart said so,
    the drug's own charts drew the spike without a word. Each year where one row is half or
    more of the drug's total is named with that row (computed here from the table)."""
    from indicators import query

    t = query.load("seizures")
    t = t[(t.agency == "CBP") & (t.drug == "heroin") & t.quantity.notna()]
    t = t[t.year.between(Filters().year_from, Filters().year_to)]
    big = []
    for y, g in t.groupby("year"):
        top = g.loc[g.quantity.idxmax()]
        if top.quantity >= 0.5 * g.quantity.sum():
            big.append((int(y), top))
    assert big  # the bundled files have such a year
    c = charts.build(name, Filters(drug="heroin"), None, None)
    said = [n for n in c.notes if n.startswith("One monthly figure")]
    for y, top in big:
        assert any(f"in {y}:" in n and f"{top.quantity:,.0f} lb" in n for n in said), (y, said)
    plain = charts.build(name, Filters(), None, None)  # fentanyl: no single row dominates
    assert not [n for n in plain.notes if n.startswith("One monthly figure")]


def test_monthly_deaths_on_the_fiscal_basis_are_the_fiscal_years_months(evaluated):
    """FY2023 is October 2022 to September 2023: not the 24 months of 2022-2023; FY2024-FY2025
    begins in October 2023 and draws no month of FY2026."""
    c = charts.build(
        "deaths_provisional", Filters(basis="fiscal", year_from=2023, year_to=2023), None, evaluated
    )
    months = pd.to_datetime(pd.Series(c.data["period_end"])).dt.to_period("M").unique()
    assert (str(months.min()), str(months.max()), len(months)) == ("2022-10", "2023-09", 12)
    assert "October 2022 to September 2023" in c.fig.layout.title.subtitle.text.replace("<br>", " ")
    wide = charts.build(
        "deaths_provisional", Filters(basis="fiscal", year_from=2024, year_to=2025), None, evaluated
    )
    ends = pd.to_datetime(pd.Series(wide.data["period_end"]))
    assert ends.min() == pd.Timestamp("2023-10-31")
    assert (ends.dt.year + (ends.dt.month >= 10)).between(2024, 2025).all()
    foot = " ".join(a.text for a in wide.fig.layout.annotations if a.text).replace("<br>", " ")
    assert "widen the years" not in foot
    # a claim about a calendar year is its 12 months ending December: those drawn
    from indicators.charts import deaths

    scope = deaths.provisional(Filters(basis="fiscal", year_from=2024, year_to=2025), None).scope
    decembers = sorted(set(ends[ends.dt.month == 12].dt.year))
    assert (scope.basis, scope.years) == ("calendar", (decembers[0], decembers[-1]))


@pytest.mark.parametrize("drug", ["heroin", "marijuana", "fentanyl", "cocaine"])
def test_a_monthly_spike_that_is_one_row_of_cbps_files_says_so(drug):
    """The monthly chart: a month drawn at more than twice any other is named with the row of
    CBP's file it mostly is (heroin, Jan 2024: one Air and Marine branch). Computed here from
    the table: the months summed by component, and the largest row of the highest month."""
    from indicators import query

    t = query.load("seizures")
    f = Filters(drug=drug)
    t = t[
        (t.agency == "CBP")
        & (t.drug == drug)
        & t.quantity.notna()
        & t.year.between(f.year_from, f.year_to)
    ]
    months = t.groupby(["component", "year", "month"], observed=True).quantity.sum().sort_values()
    (comp, y, m), point = months.index[-1], months.iloc[-1]
    cell = t[(t.component == comp) & (t.year == y) & (t.month == m)]
    row = cell.loc[cell.quantity.idxmax()]
    expected = point > 2 * months.iloc[-2] and row.quantity >= 0.5 * point
    said = [n for n in charts.build("seizures_monthly", f, None, None).notes if "twice" in n]
    assert bool(said) == expected, (drug, said)
    if expected:
        assert said[0].startswith(f"{calendar.month_abbr[m]} {y}, {comp}")
        assert f"{point:,.0f} lb" in said[0] and row.area_of_responsibility.title() in said[0]


def test_an_index_base_year_outside_the_years_chosen_is_said_so_once():
    """FY2023-FY2026 with the base year FY2020: every series has a value for FY2020, it is
    just not among the years chosen. The chart says that, once, with the way out; not "no
    full-year value for the base year" three times, in the plot and again in the notes."""
    c = charts.build(
        "overview_index", Filters(basis="fiscal", year_from=2023, year_to=2026), None, None
    )
    empty = next(
        a.text for a in c.fig.layout.annotations if a.text and "Nothing to index" in a.text
    )
    said = empty.replace("<br>", " ")
    assert "the base year FY2020 is outside the years chosen (FY2023-FY2026)" in said
    assert "no full-year value" not in said
    assert not [n for n in c.notes if n.startswith("Not drawn")]  # the plot says it
    inside = charts.build(
        "overview_index",
        Filters(basis="fiscal", year_from=2023, year_to=2026, base_year=2023),
        None,
        None,
    )
    assert (
        len(inside.data) and (inside.data[inside.data.year == 2023]["index"].round(6) == 100).all()
    )


def test_a_citizenships_later_years_are_drawn_as_on_the_component_chart(evaluated):
    """Ukraine, FY2025-FY2026: the chart was empty ('No CBP encounters...') while its own note
    gave FY2025's 13,443. Later years are now the by-State total's purple bar, named in a key;
    claims about China are not listed on Ukraine's chart; the monthly note does not speak of
    'two lines' when none is drawn."""
    from indicators import query

    f = Filters(basis="fiscal", year_from=2025, year_to=2026, citizenship="UKRAINE")
    c = charts.build("encounters_citizenship", f, None, evaluated)
    t = query.load("encounters_by_state")
    held = (
        t[(t.citizenship == "UKRAINE") & t.fiscal_year.between(2025, 2026)]
        .groupby("fiscal_year")
        .encounters.sum()
    )
    drawn = {
        int(x): y for tr in c.fig.data if tr.type == "bar" for x, y in zip(tr.x, tr.y, strict=True)
    }
    assert drawn == {int(k): v for k, v in held.items()} and drawn
    assert c.fig.layout.showlegend and [
        tr for tr in c.fig.data if tr.type == "bar" and tr.showlegend
    ]
    foot = " ".join(a.text for a in c.fig.layout.annotations if a.text).replace("<br>", " ")
    assert "China" not in foot and "C07" not in foot
    m = charts.build("encounters_citizenship_monthly", f, None, evaluated)
    assert not [n for n in m.notes if "two lines" in n]
    # China on the fiscal basis: the purple bar takes no slot in the years of the two components
    china = charts.build("encounters_citizenship", Filters(basis="fiscal"), None, evaluated)
    bars = [tr for tr in china.fig.data if tr.type == "bar"]
    purple = [tr for tr in bars if tr.offset is not None]
    assert purple and all(tr.offset == -0.375 and tr.width == 0.75 for tr in purple)
    assert {tr.offsetgroup for tr in bars} == {tr.offsetgroup for tr in bars if tr.offset is None}


def test_a_breakdown_of_one_value_says_which_value_it_is():
    c = charts.build("encounters_breakdown", Filters(basis="fiscal", year_from=2024, year_to=2025,
                     citizenship="MYANMAR (BURMA)", dimension="title_of_authority"), None, None)  # fmt: skip
    keyed = [tr.name for tr in c.fig.data if tr.type == "bar" and tr.showlegend]
    assert len({tr.name for tr in c.fig.data if tr.type == "bar"}) == 1 and keyed == ["Title 8"]
    assert c.fig.layout.showlegend


def test_on_a_chart_of_one_year_an_event_line_stands_over_its_years_bar_near_its_date(evaluated):
    """A line near a bar's edge was moved a fixed 0.07 year out: on FY2024 alone, 31 Jul 2024
    was drawn near 24 Aug and 15 Nov 2023 near 5 Oct, beside the bar. An event now stands
    across its year's bar (the bar is the year: 0.75 of the slot), within a few days of its
    place there; one in the year's first or last days moves a few pixels in, never out."""
    import datetime as dt

    from indicators.charts import overlays

    f = Filters(basis="fiscal", year_from=2024, year_to=2024, region="Southwest Border")
    c = charts.build("seizures_by_drug", f, None, evaluated)
    ev = evaluated[
        (evaluated.kind == "event") & evaluated.event_date.astype(str).str.startswith("20")
    ]
    days = [dt.date.fromisoformat(str(d)[:10]) for d in ev.event_date]
    places = [
        overlays.event_x(d, "year", "fiscal", 0.75)
        for d in days
        if dt.date(2023, 10, 1) <= d <= dt.date(2024, 9, 30)
    ]
    lines = [sh.x0 for sh in c.fig.layout.shapes if sh.name == "event_line"]
    assert len(lines) >= 3
    year_per_day = 0.75 / 365.25
    assert all(min(abs(x - p) for p in places) / year_per_day <= 5 for x in lines), lines
    assert all(2024 - 0.375 < x < 2024 + 0.375 for x in lines)  # over the FY2024 bar


def test_the_index_names_an_indicator_without_figures_in_the_years_chosen():
    """FY2025-FY2026: the 12-month death counts to September 2025 are not out yet. Deaths were
    left out without a word, while the deaths note and CDC's source were still printed."""
    f = Filters(basis="fiscal", year_from=2025, year_to=2026, base_year=2025)
    c = charts.build("overview_index", f, None, None)
    assert "Overdose deaths" not in set(c.data.indicator.str.split(" \\(").str[0])
    assert any("Overdose deaths (no figures in FY2025-FY2026)" in n for n in c.notes)
    foot = " ".join(a.text for a in c.fig.layout.annotations if a.text).replace("<br>", " ")
    assert "CDC" not in foot.split("Not drawn")[0] and "Deaths: 12-month counts" not in foot
    full = charts.build("overview_index", Filters(), None, None)
    assert any("Deaths: 12-month counts ending December" in n for n in full.notes)


def test_a_partial_year_is_labelled_alike_on_every_chart_of_the_seizures_page():
    """FY2026: Air and Marine's file ends in December, the others' in April. The component
    chart said 'FY2026 partial' while the region and drug charts said 'FY2026 Oct-Apr', which
    is not what their bars hold for Air and Marine. Without Air and Marine the months are one
    span and every chart names it."""

    def tick(name, f):
        c = charts.build(name, f, None, None)
        return dict(zip(c.fig.layout.xaxis.tickvals, c.fig.layout.xaxis.ticktext, strict=True))[
            2026
        ]

    names = ["seizures_by_component", "seizures_by_region", "seizures_by_drug"]
    f = Filters(basis="fiscal", year_from=2025, year_to=2026, drug="methamphetamine")
    assert {tick(n, f) for n in names} == {"FY2026<br>partial"}
    two = f.with_(agencies=("OFO", "USBP"))
    said = {tick(n, two) for n in names}
    assert len(said) == 1 and "Oct-Apr" in said.pop()


def test_words_of_empty_and_small_charts():
    """'annual deaths, no counts' as a title of an empty chart; 'gridlines at 20 and 40 and 60'."""
    c = charts.build(
        "deaths_annual",
        Filters(basis="fiscal", year_from=2025, year_to=2026, death_drug="psychostimulants"),
        None,
        None,
    )
    assert not c.title.endswith("no counts") and c.title.endswith("annual deaths")
    g = charts.build("states_small_multiples", Filters(), None, None)
    said = next(n for n in g.notes if "gridlines at" in n)
    assert (
        re.search(r"gridlines at [\d,]+(, [\d,]+)* and [\d,]+ per 100,000", said)
        and " and " not in said.split("gridlines at")[1].split(" and ", 1)[1].split(" per")[0]
    )


def test_a_horizontal_bar_charts_last_value_tick_has_room_at_the_right_edge():
    """'800,000' stood flush against the figure's right edge (top citizenships, 1440): the
    tick label is centred on the axis' end, so half of it needs the right margin."""
    c = charts.build(
        "encounters_top_citizenships",
        Filters(basis="fiscal", year_from=2023, year_to=2023),
        None,
        None,
    )
    top = c.fig.layout.xaxis.range[1]
    font = c.fig.layout.xaxis.tickfont.size
    half = len(f"{top:,.0f}") * 0.6 * font / 2  # DejaVu Sans digits are about 0.6 em wide
    assert c.fig.layout.margin.r >= half + 8


def test_the_index_names_encounters_before_their_first_year():
    """2015-2018: CBP's encounters by state begin in FY2020; the chart named seizures under
    'Not drawn' but said nothing of encounters."""
    c = charts.build(
        "overview_index", Filters(base_year=2015, year_from=2015, year_to=2018), None, None
    )
    said = " ".join(n for n in c.notes if n.startswith("Not drawn"))
    assert "CBP encounters (no figures in 2015-2018)" in said


def test_a_base_year_beyond_the_inputs_range_in_a_url_is_the_nearest_it_takes():
    """?base_year=2026: the overview's input (2015-2025) reset it to 2015, and the chart then
    spoke of 'the base year 2015', which nobody chose."""
    from indicators.filters import BASE_YEARS

    assert Filters.from_query({"base_year": "2026"}).base_year == BASE_YEARS[1] == 2025
    assert Filters.from_query({"base_year": "1990"}).base_year == BASE_YEARS[0]
    assert Filters.from_query({"base_year": "2019"}).base_year == 2019


@pytest.mark.parametrize("name", ["deaths_provisional", "states_deaths_trend"])
def test_monthly_ticks_on_the_fiscal_basis_name_months_drawn(name):
    """FY2022-FY2023 draws October 2021 to September 2023; its last tick was 'Oct 2023', a day
    after the last point. Ticks stand at the figures' own month ends, within the months drawn."""
    f = Filters(basis="fiscal", year_from=2022, year_to=2023, states=("WV",))
    c = charts.build(name, f, None, None)
    ends = pd.to_datetime(pd.Series(c.data["period_end"]))
    vals = pd.to_datetime(pd.Series(c.fig.layout.xaxis.tickvals))
    assert vals.max() <= ends.max() and vals.min() >= ends.min() - pd.Timedelta(days=1)
    for v, t in zip(vals, c.fig.layout.xaxis.ticktext, strict=True):
        assert t == f"{v:%b %Y}" and v.is_month_end
    assert c.fig.layout.xaxis.ticktext[0] == "Oct 2021"


def test_encounter_notes_speak_only_of_what_is_drawn():
    """FY2025 alone: the purple note spoke of 'bars from the files by area of responsibility'
    that are not drawn, and the Title 8/42 note of expulsions that ended in May 2023; an
    empty chart's source read 'no rows drawn'."""
    f = Filters(basis="fiscal", citizenship="HAITI", year_from=2025, year_to=2025)
    for name in ("encounters_citizenship", "encounters_by_component"):
        notes = charts.build(name, f, None, None).notes
        assert any(n.startswith("Purple:") for n in notes) and not [
            n for n in notes if "never added" in n
        ]
        assert not [n for n in notes if "Title 42" in n]
    both = charts.build("encounters_citizenship", Filters(basis="fiscal"), None, None).notes
    assert [n for n in both if "never added" in n] and [n for n in both if "Title 42" in n]
    empty = charts.build("encounters_top_citizenships", f, None, None)
    foot = next(a.text for a in empty.fig.layout.annotations if a.name == "source").replace(
        "<br>", " "
    )
    assert "nothing drawn for this selection" in foot and "no rows" not in foot


@pytest.mark.parametrize("drug", ["cocaine", "synthetic_opioids", "heroin"])
def test_a_year_without_a_final_count_still_shows_its_provisional_points(drug):
    """A one-year chart of a drug whose final count is not in the files (2020) drew an empty
    plot with an axis of 0-1: the bars' missing maximum (NaN) won over the points' values."""
    c = charts.build(
        "deaths_annual", Filters(death_drug=drug, year_from=2020, year_to=2020), None, None
    )
    points = [
        y
        for t in c.fig.data
        if t.type == "scatter" and t.y is not None
        for y in t.y
        if y is not None
    ]
    assert points, "no provisional point"
    top = c.fig.layout.yaxis.range[1]
    assert max(points) <= top and top < 2 * max(points)


def test_every_encounters_chart_names_the_region_it_is_filtered_to():
    """The monthly chart of one citizenship drew Northern-border figures under a subtitle that
    named no region."""
    f = Filters(citizenship="INDIA", region="Northern Land Border", agencies=("OFO",))
    for name in (
        "encounters_by_component",
        "encounters_breakdown",
        "encounters_citizenship",
        "encounters_citizenship_monthly",
    ):
        assert "Northern border" in charts.build(name, f, None, None).subtitle, name


def test_a_drug_a_component_does_not_publish_is_not_drawn_as_none_seized():
    """'No CBP ketamine seizures by region' for Air and Marine alone read as a zero: its files
    list five drugs, and ketamine is not one of them."""
    from indicators.store import REPO_DATA, Store

    amo = Store(REPO_DATA).load("seizures").query("series == 'cbp_amo'")
    listed = sorted(set(amo.drug.astype(str)))
    assert "ketamine" not in listed
    for name in ("seizures_by_component", "seizures_by_region", "seizures_monthly"):
        c = charts.build(name, Filters(agencies=("AMO",), drug="ketamine"), None, None)
        text = html.unescape(
            " ".join(a.text for a in c.fig.layout.annotations if a.name == "empty")
        ).replace("<br>", " ")
        assert (
            f"Air and Marine Operations' files list {len(listed)} drugs" in text
            and "not zero" in text
        ), text


def test_the_overview_names_only_the_files_and_components_of_what_it_draws():
    """With deaths alone drawn (CDC and ports of entry, FY2015 base: CBP has no FY2015), the
    subtitle named CBP's ports of entry and the source line listed CBP's seizure files."""
    c = charts.build(
        "overview_index",
        Filters(agencies=("CDC", "OFO"), basis="fiscal", base_year=2015),
        None,
        None,
    )
    assert {t.name for t in c.fig.data if t.name} <= {
        "Overdose deaths (CDC, provisional 12-month counts)"
    }
    assert "CBP" not in c.subtitle and "CBP" not in c.source and "CDC VSRR" in c.source
    s = charts.build("overview_index", Filters(base_year=2025), None, None)
    assert (
        "CBP Nationwide Drug Seizures" in s.source
        and "Encounters" not in s.source
        and "CDC" not in s.source
    )
