"""States over time: the numbers drawn, recomputed here straight from the official files in
data/raw (pandas on the CSVs, not the project's parsers); gaps stay gaps; the URL carries a
multi-state view."""

from __future__ import annotations

import calendar
import re

import pandas as pd
import pytest
from apphelpers import app, errors, figure

from indicators import charts, contract
from indicators.filters import Filters
from indicators.store import REPO_DATA

RAW = REPO_DATA / "raw"
NAME = {v.lower(): k for k, v in contract.GEO_NAMES.items()}


@pytest.fixture(scope="module")
def raw_monthly() -> pd.DataFrame:
    d = pd.read_csv(
        RAW / "cdc_state/accurate_provisional__vsrr_od_deaths_by_state_2015-01_to_2023-11.csv.gz",
        thousands=",",
    )
    return d[d.Indicator == "Number of Drug Overdose Deaths"]


@pytest.fixture(scope="module")
def raw_pop() -> pd.DataFrame:
    a = pd.read_csv(RAW / "census_population/nst-est2019-alldata.csv", encoding="latin-1")
    b = pd.read_csv(RAW / "census_population/NST-EST2024-ALLDATA.csv", encoding="latin-1")
    rows = []
    for df, years in ((a, range(2010, 2020)), (b, range(2020, 2025))):
        for y in years:
            for name, p in zip(df.NAME, df[f"POPESTIMATE{y}"], strict=True):
                rows.append((NAME.get(str(name).lower()), y, float(p)))
    return (
        pd.DataFrame(rows, columns=["geo", "year", "pop"])
        .dropna()
        .set_index(["geo", "year"])["pop"]
    )


@pytest.mark.parametrize("geo", ["WV", "OH", "AZ"])
@pytest.mark.parametrize("year,month", [(2019, "June"), (2022, "December")])
def test_state_rates_recomputed_from_the_raw_files(raw_monthly, raw_pop, geo, year, month):
    c = charts.build("states_deaths_trend", Filters(states=("WV", "OH", "AZ")), None, None)
    m = pd.Timestamp(f"{month} 1, {year}") + pd.offsets.MonthEnd(0)
    row = c.data[(c.data.geo == geo) & (pd.to_datetime(c.data.period_end) == m)].iloc[0]
    raw = raw_monthly[
        (raw_monthly.State == geo) & (raw_monthly.Year == year) & (raw_monthly.Month == month)
    ].iloc[0]
    assert row.deaths == float(raw["Data Value"])
    assert row.deaths_predicted == float(raw["Predicted Value"])
    want = float(raw["Data Value"]) / raw_pop[(geo, year)] * 1e5
    assert row.rate == pytest.approx(want, rel=1e-9)
    # the solid line draws CDC's predicted rate, the dotted one the reported rate
    predicted = float(raw["Predicted Value"]) / raw_pop[(geo, year)] * 1e5
    for dash, value in (("solid", predicted), ("dot", want)):
        line = next(
            t
            for t in c.fig.data
            if t.legendgroup == geo and t.mode == "lines" and t.line.dash == dash
        )
        drawn = dict(zip(line.x, line.y, strict=True))[m.strftime("%Y-%m-%d")]
        assert drawn == pytest.approx(value, abs=0.006)


def test_death_change_map_equals_a_direct_computation():
    raw = pd.read_csv(RAW / "cdc_state/vsrr_overdose_yearly__dec12mo_by_state_2015-2024.csv")
    raw = raw[raw.Indicator == "Number of Drug Overdose Deaths"].copy()
    raw["State Name"] = raw["State Name"].replace({"New York City": "New York"})  # NY includes NYC
    raw["geo"] = raw["State Name"].str.lower().map(NAME)
    tot = raw.groupby(["geo", "Year"])["Total Deaths"].sum(min_count=1).unstack("Year")
    want = ((tot[2024] - tot[2023]) / tot[2023] * 100).dropna()
    c = charts.build("states_death_change_map", Filters(), None, None)
    got = c.data.set_index("geo")["change"].dropna()
    assert "December 2024 vs 12 months ending December 2023" in c.subtitle
    states = sorted(set(want.index) & contract.STATE_CODES)
    assert len(states) == 51 and set(got.index) == set(states)
    for g in states:
        assert got[g] == pytest.approx(want[g], rel=1e-9), g
    # the tile map shows them: 51 coloured tiles, the text rounded
    tiles = c.fig.data[-1]
    vals = [v for row in tiles.z for v in row if v is not None]
    assert len(vals) == 51 and min(vals) == pytest.approx(round(got.min(), 1))


def test_encounter_change_map_equals_a_direct_computation():
    raw = pd.read_csv(
        RAW / "cbp_encounters/nationwide-encounters-fy22-fy25-state.csv.gz", thousands=","
    )
    g = raw.groupby(["State", "Fiscal Year"])["Encounter Count"].sum().unstack("Fiscal Year")
    want = ((g[2025] - g[2024]) / g[2024] * 100).dropna()
    c = charts.build("states_encounter_change_map", Filters(), None, None)
    d = c.data.set_index("geo")
    got = d["change"].dropna()
    common = sorted(set(want.index) & set(got.index))
    assert len(common) >= 25
    # a base below 500 encounters is not coloured (a percent change on a handful is noise)
    assert d.loc[d.encounters_from.fillna(0) < 500, "change"].isna().all()
    assert (d.loc[got.index, "encounters_from"] >= 500).all()
    for s in common:
        assert got[s] == pytest.approx(want[s], rel=1e-9), s
    assert "FY2025 vs FY2024" in c.subtitle


def test_gaps_are_gaps_and_lone_points_are_drawn():
    c = charts.build("states_deaths_trend", Filters(states=("WV",)), None, None)
    line = next(
        t
        for t in c.fig.data
        if t.legendgroup == "WV" and t.mode == "lines" and t.line.dash == "solid"
    )
    ys = dict(zip(line.x, line.y, strict=True))
    assert ys["2023-11-30"] is not None and ys["2023-12-31"] is not None
    assert ys["2024-06-30"] is None  # no month between the December extracts is invented
    lone = [t for t in c.fig.data if t.mode == "markers" and t.name == "West Virginia"]
    assert any("2024-12-31" in t.x for t in lone)  # the December 2024 point stands alone, visibly
    annual = charts.build("states_deaths_annual", Filters(states=("WV",)), None, None)
    wv = next(t for t in annual.fig.data if t.legendgroup == "WV" and t.mode == "lines")
    assert dict(zip(wv.x, wv.y, strict=True))[2021] is None
    assert any("2021" in n for n in annual.notes)


def test_small_multiples_sorted_and_scaled_as_asked():
    shared = charts.build("states_small_multiples", Filters(), None, None)
    free = charts.build(
        "states_small_multiples", Filters(grid_y="free", grid_sort="name"), None, None
    )

    def scales(fig) -> dict[str, float]:
        """Each panel's height per unit of rate, from two of its points (the hover's rate
        against the drawn position)."""
        out: dict[str, list] = {}
        for name, month_rate, y in panels(fig):
            out.setdefault(name, []).append((rate_of(month_rate), y))
        return {
            name: (max(pts)[1] - min(pts)[1]) / (max(pts)[0] - min(pts)[0])
            for name, pts in out.items()
        }

    one, each = scales(shared.fig), scales(free.fig)
    assert len(one) == len(each) == 51
    assert max(one.values()) == pytest.approx(min(one.values()), rel=0.02)  # one shared scale
    assert len({f"{v:.3g}" for v in each.values()}) > 40  # each panel its own
    assert max(each.values()) > 2 * min(each.values())  # low-rate states drawn taller
    first = labels(shared.fig)[:2]
    assert first[0].startswith("<b>DC</b>")  # highest rate first
    names = [t.split("</b>")[0][3:] for t in labels(free.fig)]
    # by the states' names (DC stood between CT and DE when sorted by code)
    assert len(names) == 51 and names == sorted(names, key=lambda g: contract.GEO_NAMES[g])
    # each label stands over its own panel: at its left edge, above its line
    lab = next(t for t in free.fig.data if t.mode == "text")
    for x, y, text in zip(lab.x, lab.y, lab.text, strict=True):
        name = contract.GEO_NAMES[text.split("</b>")[0][3:]]
        pts = [(px, py) for px, py, n in points(free.fig) if n == name]
        assert pts and x <= min(p[0] for p in pts) + 1e-3 and y >= max(p[1] for p in pts), text


def points(fig) -> list[tuple[float, float, str]]:
    """(x, y, state name) of every point drawn on the small multiples' lines."""
    t = next(t for t in fig.data if t.name == "states")
    return [
        (x, y, c.split(", 12 months")[0])
        for x, y, c in zip(t.x, t.y, t.customdata, strict=True)
        if y is not None
    ]


def panels(fig) -> list[tuple[str, str, float]]:
    """(state name, 'Month YYYY: rate', y) of every point on the small multiples' lines."""
    t = next(t for t in fig.data if t.name == "states")
    return [
        (c.split(", 12 months")[0], c.split("12 months to ")[1], y)
        for c, y in zip(t.customdata, t.y, strict=True)
        if y is not None
    ]


def rate_of(month_rate: str) -> float:
    return float(month_rate.split(": ")[1].split(" ")[0].replace(",", ""))


def labels(fig) -> list[str]:
    return list(next(t for t in fig.data if t.mode == "text").text)


def test_url_reproduces_a_multi_state_view():
    at = app("states", {"states": "CA,TX,FL", "state_measure": "count", "grid_y": "free"})
    assert errors(at) == []
    fig = figure(at, "12 months ending each month")
    shown = {t["legendgroup"] for t in fig["data"] if t.get("legendgroup")}
    assert shown == {"CA", "TX", "FL"}  # counts: no national line on a count scale
    assert "California, Texas and Florida" in fig["layout"]["title"]["subtitle"]["text"]


def test_encounters_by_fiscal_year_equal_the_raw_file_and_say_their_share():
    raw = pd.read_csv(
        RAW / "cbp_encounters/nationwide-encounters-fy22-fy25-state.csv.gz", thousands=","
    )
    c = charts.build("states_encounters_by_year", Filters(states=("TX", "AZ", "CA")), None, None)
    d = c.data.set_index(["state", "fiscal_year"])
    for s, fy in (("TX", 2023), ("AZ", 2025), ("CA", 2024)):
        want = raw[(raw.State == s) & (raw["Fiscal Year"] == fy)]["Encounter Count"].sum()
        assert d.loc[(s, fy), "encounters"] == want
        nation = raw[raw["Fiscal Year"] == fy]["Encounter Count"].sum()
        assert d.loc[(s, fy), "share"] == pytest.approx(want / nation * 100)
    assert any("Share of the nationwide total in FY2025" in n for n in c.notes)


@pytest.mark.parametrize("rate", [0.0, float("inf"), float("nan")])
def test_small_multiples_draw_degenerate_rates_inside_their_panels(monkeypatch, rate):
    """All-zero, infinite (a population of 0) or missing rates, and a single month: every
    point drawn stays inside the plot area and a bad value is a gap, not a crash."""
    from indicators.charts import states as sm

    real = sm.states.monthly

    def monthly(geos, drug, store):
        d = real(geos, drug, store)
        d = d[d.period_end == d.period_end.max()].copy()  # one month only
        for col in ("rate", "rate_best"):  # (the panels draw CDC's best estimate)
            d.loc[d.geo == "TX", col] = rate
            d.loc[d.geo == "CA", col] = 0.0
        return d

    monkeypatch.setattr(sm.states, "monthly", monthly)
    c = charts.build("states_small_multiples", Filters(grid_y="free"), None, None)
    drawn = [(x, y) for t in c.fig.data if t.name != "scale" for x, y in zip(t.x, t.y, strict=True) if y is not None]  # fmt: skip
    assert drawn and all(0 <= x <= 1 and 0 <= y <= 1 for x, y in drawn)
    # the years under the lowest panels stand just below them (in the margin), none elsewhere
    scale = next(t for t in c.fig.data if t.name == "scale")
    assert all(0 <= x <= 1 and -0.01 <= y <= 1 for x, y in zip(scale.x, scale.y, strict=True))
    tx = [y for name, _, y in panels(c.fig) if name == "Texas"]
    assert (tx == []) == (rate != 0.0)  # a bad rate is a gap
    assert any(t.startswith("<b>TX</b>") for t in labels(c.fig))  # and its panel is there


def test_a_month_drawn_alone_is_said_in_words():
    """The chosen states' lines end in November/December 2023 and a dot stands at December
    2024 (CDC's December-only file): the note names every month drawn as a lone dot."""
    import calendar

    c = charts.build("states_deaths_trend", Filters(), None, None)
    lone = {x for t in c.fig.data if t.mode == "markers" and t.name != "United States" for x in t.x}
    assert lone  # the bundled data have such months
    note = next(n for n in c.notes if n.startswith("Dots:"))
    for x in lone:
        d = pd.Timestamp(x)
        assert f"{calendar.month_name[d.month]} {d.year}" in note


@pytest.mark.parametrize("name", ["states_encounters_by_year", "states_encounters_trend"])
def test_encounter_subtitles_name_only_states_drawn(name):
    """A chosen state with no encounter rows is not named over the chart as if drawn: the
    subtitle names the states with lines or bars, the note the others."""
    c = charts.build(name, Filters(states=("WV", "OH", "AZ")), None, None)
    drawn = {t.name for t in c.fig.data if t.type in ("bar", "scatter") and t.name}
    sub = c.fig.layout.title.subtitle.text.replace("<br>", " ")
    missing = [n for n in c.notes if n.startswith("No encounters recorded for")]
    left_out = [n for n in c.notes if n.startswith("Not drawn, too few to see")]
    for state in ("West Virginia", "Ohio", "Arizona"):
        if state in drawn:
            assert state in sub
        else:
            assert state not in sub and any(state in n for n in missing + left_out)
    assert missing  # the bundled by-State table has no West Virginia rows


@pytest.mark.parametrize(
    "name,per",
    [("states_encounters_trend", "a month"), ("states_encounters_by_year", "in a fiscal year")],
)
def test_a_state_too_small_to_see_beside_a_border_state_is_said_in_words(name, per):
    """Ohio's encounters lie on the zero line beside Arizona's: the note gives its largest
    value, computed from the drawn data; states of one size get no such note."""
    c = charts.build(name, Filters(states=("OH", "AZ")), None, None)
    d = c.data.groupby("state", observed=True)["encounters"].max()
    assert d["OH"] < 0.02 * d["AZ"]
    note = next(n for n in c.notes if "on this scale" in n.lower())
    assert f"Ohio at most {d['OH']:,.0f} encounters {per}" in note and "Arizona" not in note
    drawn = {t.legendgroup or t.name for t in c.fig.data if t.type in ("bar", "scatter")}
    if name == "states_encounters_by_year":
        # hairline bars would hold an empty slot beside Arizona's in every year: left out,
        # and the note says so; the data (CSV) keeps Ohio's rows
        assert note.startswith("Not drawn") and "OH" not in drawn and "AZ" in drawn
        assert (c.data.state == "OH").any()
    else:
        assert "OH" in drawn  # a line on the zero line holds no slot, and the note says where
        assert note.startswith("On the zero line")
    c = charts.build(name, Filters(states=("TX", "AZ", "CA")), None, None)
    assert not [n for n in c.notes if "too few" in n.lower()]


def test_a_lone_month_is_drawn_over_every_line():
    """A lone dot (December 2024 on the states' deaths chart) comes after every line, so the
    United States line drawn later never covers it, and has a white ring to part it from one."""
    c = charts.build("states_deaths_trend", Filters(), None, None)
    kinds = [(t.mode, t.name) for t in c.fig.data if t.type == "scatter"]
    last_line = max(i for i, (m, _) in enumerate(kinds) if m == "lines")
    dots = [
        t
        for t in c.fig.data
        if t.mode == "markers" and len(t.x) and t.marker.line.color == "#ffffff"
    ]
    assert dots
    assert all(list(c.fig.data).index(t) > last_line for t in dots)


def test_a_state_line_never_joins_months_of_two_source_files():
    """Each segment drawn joins months of one CDC release: Nov 2023 (spring 2024 release) and
    Dec 2023 (the later December file) are not joined, and the note says where it breaks."""
    from indicators import states

    c = charts.build("states_deaths_trend", Filters(states=("TX", "CA", "AZ")), None, None)
    d = states.monthly(["TX", "CA", "AZ"], "all_drugs", None)
    src = {
        (r.geo, r.period_end.date().isoformat()): r.source_id
        for r in d.itertuples()
        if pd.notna(r.rate)
    }
    names = {contract.GEO_NAMES[g]: g for g in ("TX", "CA", "AZ")}
    joined = 0
    for t in c.fig.data:
        if t.mode != "lines" or t.name not in names or t.line.dash not in (None, "solid"):
            continue
        pts = list(zip(t.x, t.y, strict=True))
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            if y0 is not None and y1 is not None:
                joined += 1
                assert src[(names[t.name], str(x0)[:10])] == src[(names[t.name], str(x1)[:10])], (
                    t.name,
                    x0,
                    x1,
                )
    assert joined > 100
    assert any(
        n.startswith("Lines break where the source file changes (between Nov 2023 and Dec 2023)")
        for n in c.notes
    )


def test_small_multiples_carry_a_scale_without_an_axis_per_panel():
    """51 panels have no axes; the shared scale's gridline values stand at the left of the
    first column's panels, where that value is drawn, and the first and last year under each
    column's lowest panel. Panels on their own scales get no values (each differs)."""
    shared = charts.build("states_small_multiples", Filters(), None, None)
    free = charts.build("states_small_multiples", Filters(grid_y="free"), None, None)
    scale = next(t for t in shared.fig.data if t.name == "scale")
    years = [t for t in scale.text if len(t) == 4]
    values = [(x, y, float(t.replace(",", ""))) for x, y, t in zip(scale.x, scale.y, scale.text, strict=True) if len(t) != 4]  # fmt: skip
    months = [m.split(": ")[0] for _, m, _ in panels(shared.fig)]
    first, last = min(months, key=pd.Timestamp), max(months, key=pd.Timestamp)
    assert set(years) == {first[-4:], last[-4:]} and len(years) == 2 * 8  # eight columns
    # inside the hidden axis' range: Plotly leaves out text beyond it (the last row's years)
    lo, hi = shared.fig.layout.yaxis.range
    assert all(lo <= y <= hi for y in scale.y)
    assert values
    pts = points(shared.fig)
    by_name = {}
    for (x, y, name), (_, month_rate, _) in zip(pts, panels(shared.fig), strict=True):
        by_name.setdefault(name, []).append((x, y, rate_of(month_rate)))

    def line(p):  # (y at rate 0, y per unit of rate) of a panel, from its lowest and highest point
        (_, ya, ra), (_, yb, rb) = min(p, key=lambda q: q[2]), max(p, key=lambda q: q[2])
        return ya - ra * (yb - ya) / (rb - ra), (yb - ya) / (rb - ra)

    for x, y, v in values:  # on the y of that rate in the panel it stands in
        col = [
            line(p) for p in by_name.values() if min(q[0] for q in p) == pytest.approx(x, abs=1e-3)
        ]
        base, per = max((b for b in col if b[0] <= y), key=lambda b: b[0])
        assert y == pytest.approx(base + v * per, abs=2e-3), (x, v)
    assert not any(t.name == "scale" and any(len(s) != 4 for s in t.text) for t in free.fig.data)


def test_a_chosen_state_without_figures_is_named_not_left_out_silently():
    """CDC's files hold no drug-specific provisional counts for some states (Pennsylvania's
    synthetic opioids here): the state has no line, so the chart's notes name it."""
    from indicators import states

    chosen = ("WV", "OH", "PA")
    held = states.monthly(list(chosen), "synthetic_opioids", None)
    without = [g for g in chosen if held[held.geo == g].deaths.isna().all()]
    assert without  # the bundled files have such a state among these
    f = Filters(states=chosen, state_measure="count", death_drug="synthetic_opioids")
    c = charts.build("states_deaths_trend", f, None, None)
    drawn = {t.name for t in c.fig.data if t.type == "scatter" and t.mode == "lines"}
    foot = next(a.text for a in c.fig.layout.annotations if a.name == "source").replace("<br>", " ")
    for g in without:
        assert contract.GEO_NAMES[g] not in drawn
        assert f"deaths for {contract.GEO_NAMES[g]} in the source files" in foot
    every = charts.build("states_deaths_trend", f.with_(death_drug="all_drugs"), None, None)
    assert "not drawn." not in " ".join(every.notes)  # every chosen state has all-drug counts


def test_a_chart_of_december_figures_only_names_its_ticks_by_them():
    """Drug-specific state counts exist for Decembers only: dots a year apart, each just left of
    the next January's tick, read as the next year's figure. The ticks stand at the Decembers
    drawn and say so; the notes on solid and dotted lines and lone months are left out."""
    f = Filters(states=("WV", "OH"), state_measure="count", death_drug="synthetic_opioids")
    c = charts.build("states_deaths_trend", f, None, None)
    drawn = sorted({x for t in c.fig.data if t.type == "scatter" for x, y in zip(t.x, t.y, strict=True) if y is not None})  # fmt: skip
    assert drawn and all(pd.Timestamp(x).month == 12 for x in drawn)
    ax = c.fig.layout.xaxis
    assert ax.tickvals and set(ax.tickvals) <= set(drawn)
    assert all(
        t == f"Dec {pd.Timestamp(v).year}" for v, t in zip(ax.tickvals, ax.ticktext, strict=True)
    )
    words = " ".join(c.notes)
    assert "Each dot: the 12 months ending December" in words
    assert "solid" not in words and not words.count("Dots:")
    monthly = charts.build("states_deaths_trend", f.with_(death_drug="all_drugs"), None, None)
    assert not monthly.fig.layout.xaxis.tickvals  # months: Plotly's own ticks
    # the last dots stand at the right edge: the axis leaves room for a leader to each label
    # (a 3-px stub read as a dash before the name)
    leaders = [sh for sh in c.fig.layout.shapes if sh.name == "leader"]
    assert leaders and all(sh.x1 - sh.x0 >= 0.025 for sh in leaders)


def test_monthly_state_deaths_on_the_fiscal_basis_draw_the_fiscal_years_months():
    """On the fiscal basis FY2023-FY2024 is October 2022 to September 2024, in the trend and the
    small multiples; their words say fiscal years (the years under the panels too)."""
    f = Filters(basis="fiscal", year_from=2023, year_to=2024, states=("WV", "OH"))
    trend = charts.build("states_deaths_trend", f, None, None)
    ends = pd.to_datetime(pd.Series(trend.data["period_end"]))
    assert (str(ends.min())[:7], str(ends.max())[:7]) == ("2022-10", "2024-09")
    assert "FY2023-FY2024" in trend.fig.layout.title.subtitle.text.replace("<br>", " ")
    grid = charts.build("states_small_multiples", f, None, None)
    ends = pd.to_datetime(pd.Series(grid.data["period_end"]))
    assert (str(ends.min())[:7], str(ends.max())[:7]) == ("2022-10", "2024-09")
    scale = next(t for t in grid.fig.data if t.name == "scale")
    assert {t for t in scale.text if t.startswith("FY")} == {"FY2023", "FY2024"}
    calendar = charts.build(
        "states_deaths_trend", Filters(year_from=2023, year_to=2024, states=("WV",)), None, None
    )
    ends = pd.to_datetime(pd.Series(calendar.data["period_end"]))
    assert (str(ends.min())[:7], str(ends.max())[:7]) == ("2023-01", "2024-12")


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("sort", ["rate", "change"])
def test_small_multiples_number_and_sort_by_a_month_they_draw(sort, year):
    """FY2023 alone with the change map's default month (the latest, Dec 2024): the panels were
    in A-Z order without numbers, while the subtitle said they were sorted by the rate to
    December 2024. Their numbers and order are now the last month drawn's."""
    f = Filters(basis="fiscal", year_from=year, year_to=year, grid_sort=sort)
    c = charts.build("states_small_multiples", f, None, None)
    # the last month most states have (FY2024: a few states run past the others' Dec 2023)
    held = c.data[c.data["rate"].notna()].groupby("period_end")["geo"].nunique()
    last = pd.Timestamp(max(m for m, n in held.items() if n >= 0.8 * held.max()))
    assert f"{last:%B %Y}" in c.subtitle
    labels = next(t for t in c.fig.data if t.name == "panel labels").text
    numbers = [float(t.split("</b> ")[1].rstrip("%")) for t in labels if "</b> " in t]
    assert len(numbers) == len(labels) > 40  # every panel has its number
    assert numbers == sorted(numbers, reverse=True)
    if sort == "rate":  # each panel's number is its rate in that month
        at = c.data[pd.to_datetime(c.data["period_end"]) == last].set_index("geo")["rate"]
        for t in labels:
            geo, n = t.split("</b> ")
            assert round(float(at[geo.replace("<b>", "")])) == float(n)


def test_final_rates_key_only_the_states_drawn_and_name_the_others():
    """FY2023 (calendar 2023 for final data): no state has a final rate, the nation has. The key
    listed eight states with nothing drawn for them; now it keys what is drawn and the notes
    name the states without a rate."""
    f = Filters(basis="fiscal", year_from=2023, year_to=2023, states=("WV", "OH", "TX"))
    c = charts.build("states_deaths_annual", f, None, None)
    drawn = {
        t.legendgroup for t in c.fig.data if t.y is not None and any(y is not None for y in t.y)
    }
    keyed = [a.text for a in c.fig.layout.annotations if a.name == "direct_label"] + [
        t.name for t in c.fig.data if t.showlegend
    ]
    assert not [k for k in keyed if any(s in k for s in ("West Virginia", "Ohio", "Texas"))]
    assert (
        "No final rates for West Virginia, Ohio and Texas in the source files for 2023: not drawn."
        in c.notes
    )
    assert drawn and "2023-2023" not in c.subtitle


def test_a_lone_last_dot_far_from_the_edge_has_its_label_beside_it():
    """Texas alone, FY2025-FY2026, psychostimulant counts: one dot (Dec 2024) mid-plot, whose
    leader to a label in the right margin ran across half the plot and read as a level line.
    The label now stands beside the dot, without a leader; the title says 'each December'."""
    f = Filters(states=("TX",), basis="fiscal", year_from=2025, year_to=2026, state_measure="count",
                death_drug="psychostimulants")  # fmt: skip
    c = charts.build("states_deaths_trend", f, None, None)
    (label,) = [a for a in c.fig.layout.annotations if a.name == "direct_label"]
    assert label.text == "Texas, Dec 2024" and label.x < 0.85 and label.xanchor == "left"
    assert not [sh for sh in c.fig.layout.shapes if sh.name == "leader"]
    assert c.title.endswith("12 months ending each December")
    # a lone dot at the right edge keeps its leader to the margin (other states end there)
    wide = charts.build(
        "states_deaths_trend", Filters(states=("WV", "OH"), death_drug="cocaine"), None, None
    )
    assert all(a.x == 1 for a in wide.fig.layout.annotations if a.name == "direct_label")


def _raw_state(state: str, year: int, month: str) -> pd.Series:
    raw = pd.read_csv(
        RAW / "cdc_state/accurate_provisional__vsrr_od_deaths_by_state_2015-01_to_2023-11.csv.gz"
    )
    row = raw[(raw.State == state) & (raw.Year == year) & (raw.Month == month)
              & (raw.Indicator == "Number of Drug Overdose Deaths")]  # fmt: skip
    return row.iloc[0]


def test_the_change_map_and_panels_use_cdcs_predicted_counts_where_published():
    """North Carolina's reported count for the 12 months to November 2023 (the release's last
    month, deaths still under investigation) is 2,900 against 4,251 a year before: -32%, a
    fall that is not there. CDC's predicted counts give -11%: the map compares those, says so,
    and the hover gives both; the panels draw them."""
    a, b = _raw_state("NC", 2022, "November"), _raw_state("NC", 2023, "November")
    c = charts.build(
        "states_death_change_map", Filters(change_from="2022-11", change_to="2023-11"), None, None
    )
    nc = c.data.set_index("geo").loc["NC"]
    want = (b["Predicted Value"] - a["Predicted Value"]) / a["Predicted Value"] * 100
    assert nc.change == pytest.approx(want) and abs(want) < 15
    assert (nc.reported_from, nc.reported_to) == (a["Data Value"], b["Data Value"])
    assert "CDC's predicted provisional counts" in c.subtitle
    assert any("reported counts of a release's last months are incomplete" in n for n in c.notes)
    hover = c.fig.data[1].hovertext
    assert any(h.startswith("North Carolina:") and f"reported: {a['Data Value']:,.0f} → {b['Data Value']:,.0f}" in h
               for row in hover for h in row)  # fmt: skip
    # the default map (December 2023 vs 2024: the later release's reported counts) says so
    d = charts.build("states_death_change_map", Filters(), None, None)
    assert "CDC's reported provisional counts" in d.subtitle
    grid = charts.build("states_small_multiples", Filters(year_from=2023, year_to=2023), None, None)
    g = grid.data.set_index(["geo", "period_end"]).loc[
        ("NC", b.name and pd.Timestamp("2023-11-30").date())
    ]
    assert g.rate == pytest.approx(g.deaths_predicted / g.population * 1e5)
    assert g.deaths_predicted == b["Predicted Value"] and g.rate > g.rate_reported


def test_the_states_trend_says_which_line_a_hover_is_and_where_rates_stop():
    c = charts.build("states_deaths_trend", Filters(states=("DC",)), None, None)
    hovers = [h for t in c.fig.data if t.hovertext is not None for h in t.hovertext]
    assert any("reported (solid line)" in h for h in hovers)
    assert any("predicted by CDC" in h for h in hovers)
    # the nation's counts run beyond the latest population estimate: its rate stops, said
    pop = pd.read_csv(RAW / "census_population/NST-EST2024-ALLDATA.csv")
    last = max(
        int(c[len("POPESTIMATE") :])
        for c in pop.columns
        if c.startswith("POPESTIMATE") and c[-4:].isdigit()
    )
    assert any(n.startswith(f"No rate after {last}") and "the United States" in n for n in c.notes)
    # the two Census series meet at 2020: DC's step, from the raw files, is named
    old = pd.read_csv(RAW / "census_population/nst-est2019-alldata.csv")
    p19 = old[old.NAME == "District of Columbia"].POPESTIMATE2019.iloc[0]
    p20 = pop[pop.NAME == "District of Columbia"].POPESTIMATE2020.iloc[0]
    assert any(
        f"District of Columbia's moves {(p20 / p19 - 1) * 100:+.1f}%" in n for n in c.notes
    ), c.notes
    grid = charts.build(
        "states_small_multiples",
        Filters(grid_sort="name", basis="fiscal", year_to=2023),
        None,
        None,
    )
    assert "the number is the rate in the 12 months to September 2023" in grid.notes[0]
    assert grid.subtitle.endswith("with the rate in the 12 months to September 2023")


def test_months_without_a_cbp_row_are_zero_not_a_line_across_them():
    """Tennessee's line ran straight from Sep 2020 (2) to Aug 2021 (1): CBP has no rows for
    the months between (it lists a state's month only when it had encounters)."""
    raw = pd.concat(
        pd.read_csv(RAW / f"cbp_encounters/{n}", thousands=",")
        for n in (
            "cbp-nationwide-encounters-fy20-fy23-state.csv.gz",
            "nationwide-encounters-fy22-fy25-state.csv.gz",
        )
    )
    tn = raw[(raw.State == "TN") & (raw["Fiscal Year"] == 2021)]
    c = charts.build(
        "states_encounters_trend",
        Filters(states=("TN",), basis="fiscal", year_from=2021, year_to=2021),
        None,
        None,
    )
    drawn = c.data.set_index("month").encounters
    assert len(drawn) == 12  # every month of FY2021 drawn
    listed = {m[:3].upper() for m in tn["Month (abbv)"].astype(str)}
    zero = [m for m in range(1, 13) if calendar.month_abbr[m].upper() not in listed]
    assert zero and all(drawn[m] == 0 for m in zero)
    assert drawn.sum() == tn["Encounter Count"].sum()
    assert any("drawn as 0" in n for n in c.notes)


def test_a_state_with_few_encounters_is_said_as_few_not_no_data():
    """Ohio (205 -> 563) and Wisconsin (8 -> 7) were 'no data' in the hover and 'n/a' on the
    map: they have data, too little for a percent change. Tiles carry no '%' ('+1158%' was
    wider than Florida's tile)."""
    raw = pd.read_csv(
        RAW / "cbp_encounters/nationwide-encounters-fy22-fy25-state.csv.gz", thousands=","
    )
    oh = raw[raw.State == "OH"].groupby("Fiscal Year")["Encounter Count"].sum()
    c = charts.build("states_encounter_change_map", Filters(enc_from=2024, enc_to=2025), None, None)
    tiles = next(t for t in c.fig.data if t.hovertext is not None)
    hovers = [h for row in tiles.hovertext for h in row]
    texts = [t for row in tiles.text for t in row]
    assert (
        f"Ohio: {oh[2024]:,} → {oh[2025]:,} encounters (fewer than 500 in FY2024: no percent change)"
        in hovers
    )
    assert "OH<br>few" in texts
    assert not any(t.endswith("%") for t in texts)


def test_no_state_chosen_reads_as_such():
    """With every state removed, subtitles began ' and the United States', held ' ·  · ', and
    the encounters charts gave the wrong reason ('No CBP encounters for these states')."""
    for name in (
        "states_deaths_trend",
        "states_deaths_annual",
        "states_encounters_by_year",
        "states_encounters_trend",
    ):
        c = charts.build(name, Filters(states=()), None, None)
        assert not c.subtitle.startswith((" ", "and", "·")) and "·  ·" not in c.subtitle, (
            name,
            c.subtitle,
        )
        empty = [a.text for a in c.fig.layout.annotations if a.name == "empty"]
        assert empty in ([], ["Choose one or more states above."]), (name, empty)
    c = charts.build(
        "states_encounters_by_year", Filters(states=("TX", "AZ", "CA"), year_to=2025), None, None
    )
    share = next(n for n in c.notes if n.startswith("Share of the nationwide total"))
    values = [float(x) for x in re.findall(r" (\d+\.\d)%", share)]
    assert len(values) == 3 and values == sorted(values, reverse=True)


def test_a_change_runs_forward_in_time_and_its_months_are_in_words():
    """'From' December 2024 'To' January 2020 drew a change backwards in time (its colours
    read the wrong way round); From = To drew +0% everywhere; the months were '2024-12'."""
    c = charts.build(
        "states_death_change_map", Filters(change_from="2024-12", change_to="2020-01"), None, None
    )
    assert "12 months ending January 2020 vs 12 months ending January 2019" in c.subtitle
    same = charts.build(
        "states_death_change_map", Filters(change_from="2022-06", change_to="2022-06"), None, None
    )
    assert "vs 12 months ending June 2021" in same.subtitle
    e = charts.build("states_encounter_change_map", Filters(enc_from=2025, enc_to=2022), None, None)
    assert e.subtitle.startswith("FY2022 vs FY2021")
    at = app(
        "states",
        {"change_from": "2024-12", "change_to": "2020-01", "enc_from": "2025", "enc_to": "2022"},
    )
    assert errors(at) == []
    frm = next(s for s in at.selectbox if s.key == "f_change_from")
    to = next(s for s in at.selectbox if s.key == "f_change_to")
    assert frm.value == "" and all(
        o == "a year earlier" or o.endswith(("2019", "2018", "2017", "2016", "2015"))
        for o in frm.options
    )
    assert "January 2020" in to.options and not any(
        re.fullmatch(r"\d{4}-\d\d", o) for o in to.options
    )
    efrom = next(s for s in at.selectbox if s.key == "f_enc_from")
    assert all(o == "the year before" or int(o[2:]) < 2022 for o in efrom.options)


def test_the_trend_draws_cdcs_predicted_counts_solid_as_the_map_does():
    """North Carolina's solid line fell from 40 to 27 per 100,000 over a release's last months
    (reported counts, deaths still under investigation); the map and panels had the predicted."""
    b = _raw_state("NC", 2023, "November")
    c = charts.build(
        "states_deaths_trend", Filters(states=("NC",), state_measure="count"), None, None
    )
    solid = next(
        t
        for t in c.fig.data
        if t.legendgroup == "NC" and t.mode == "lines" and t.line.dash == "solid"
    )
    dotted = next(
        t
        for t in c.fig.data
        if t.legendgroup == "NC" and t.mode == "lines" and t.line.dash == "dot"
    )
    assert dict(zip(solid.x, solid.y, strict=True))["2023-11-30"] == b["Predicted Value"]
    assert dict(zip(dotted.x, dotted.y, strict=True))["2023-11-30"] == b["Data Value"]
    assert any(n.startswith("Solid: CDC's predicted counts") for n in c.notes)


def test_a_drug_chosen_on_the_overdose_page_holds_on_the_states_page():
    """The states page offered six drugs: 'methadone', chosen on the Overdose deaths page or in
    a link, became all drugs there, and the reader's choice was lost for both pages."""
    at = app("states", {"death_drug": "methadone", "states": "WV"})
    assert errors(at) == []
    assert at.session_state["f_death_drug"] == "methadone"
    assert (
        "methadone"
        in figure(at, "Overdose deaths per 100,000")["layout"]["title"]["subtitle"]["text"]
    )
