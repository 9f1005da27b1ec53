"""Claim verdicts: the comparator rules, and each seed claim against the bundled data."""

import re

import pandas as pd
import pytest
from conftest import SEED_ARTICLE

from indicators import claims, contract, manifest, query, sources
from indicators.errors import InputError


@pytest.mark.parametrize(
    "data,claimed,comparator,verdict",
    [
        (27022.85, 27000, "over", "supported"),
        (26000, 27000, "over", "overstated"),  # 3.7% short, within 10%
        (20000, 27000, "over", "contradicted"),  # 26% short
        (1987, 2000, "under", "supported"),
        (2150, 2000, "under", "understated"),  # 7.5% above
        (3000, 2000, "under", "contradicted"),
        (100, 103, "about", "supported"),
        (100, 108, "about", "overstated"),
        (100, 93, "about", "understated"),
        (100, 150, "about", "contradicted"),
        (1, 5, "rank_at_most", "supported"),
        (9, 5, "rank_at_most", "contradicted"),
    ],
)
def test_comparator_rules(data, claimed, comparator, verdict):
    assert claims.compare(data, claimed, comparator)[0] == verdict


def test_tolerance_is_configurable():
    assert claims.compare(26000, 27000, "over", claims.Rules(tolerance=0.01))[0] == "contradicted"
    assert claims.compare(26000, 27000, "over", claims.Rules(tolerance=0.10))[0] == "overstated"


def test_unknown_comparator():
    with pytest.raises(claims.ClaimError, match="unknown comparator"):
        claims.compare(1, 1, "roughly")


@pytest.fixture(scope="module")
def seed():
    return claims.evaluate_all().set_index("claim_id")


def test_seed_past_decade_deaths(seed):
    od = query.load("overdose_deaths")
    us = od[(od.geo == "US") & (od.drug == "all_drugs") & (od.status == "final")]
    want = us[us.year.between(2013, 2022)].deaths.sum()
    assert seed.loc["C01", "data_value"] == want == 721_746  # PROVENANCE: 2013-2022 sum
    assert seed.loc["C01", "verdict"] == "supported"
    alt = {v["label"]: v for v in seed.loc["C01", "variant_results"]}
    assert next(iter(alt.values()))["data_value"] == us[us.year.between(2014, 2023)].deaths.sum()


def test_seed_synthetic_opioid_deaths_depend_on_the_choice(seed):
    od = query.load("overdose_deaths")
    d = od[(od.geo == "US") & (od.drug == "synthetic_opioids") & (od.year == 2023)]
    final = d[d.status == "final"].deaths.iloc[0]
    predicted = d[(d.status == "provisional") & (d.month == 12)].deaths_predicted.iloc[0]
    assert seed.loc["C02", "data_value"] == final
    assert seed.loc["C02", "verdict"] == "overstated"  # final count below 75,000 by under 10%
    assert seed.loc["C02", "depends_on_choice"]
    variants = {v["label"]: v for v in seed.loc["C02", "variant_results"]}
    assert variants["provisional, predicted"]["data_value"] == predicted > 75_000
    assert variants["provisional, predicted"]["verdict"] == "supported"
    assert "provisional, predicted gives 75,219" in seed.loc["C02", "explanation"]


def test_seed_pill_claim_is_ten_times_the_data(seed):
    sz = query.load("seizures")
    hidta = sz[
        (sz.agency == "HIDTA") & (sz.year == 2023) & (sz.form == "pills") & (sz.coverage == "year")
    ].quantity.sum()
    assert seed.loc["C03", "data_value"] == hidta
    assert seed.loc["C03", "verdict"] == "contradicted"


def test_seed_dea_year_to_date_claims_not_checkable(seed):
    for cid in ("C04", "C05"):
        assert seed.loc[cid, "verdict"] == "not_checkable"
        assert "For context only" in seed.loc[cid, "explanation"]


def test_seed_dhs_27000_lb(seed):
    sz = query.load("seizures")
    want = sz[
        (sz.series == "cbp_nationwide") & (sz.drug == "fentanyl") & (sz.fiscal_year == 2023)
    ].quantity.sum()
    assert seed.loc["C06", "data_value"] == pytest.approx(want)
    assert seed.loc["C06", "verdict"] == "supported"
    assert (
        "Data: 27,023 lb" in seed.loc["C06", "explanation"]
        and "Claim: over 27,000 lb" in seed.loc["C06", "explanation"]
    )


@pytest.mark.parametrize(
    "cid,component,fy,verdict",
    [
        ("C07", "U.S. Border Patrol", 2023, "supported"),
        ("C08", "U.S. Border Patrol", 2022, "supported"),
        ("C09", "Office of Field Operations", 2023, "supported"),
    ],
)
def test_seed_encounter_claims(seed, cid, component, fy, verdict):
    en = query.load("encounters")
    want = en[
        (en.component == component)
        & (en.fiscal_year == fy)
        & (en.citizenship == "CHINA, PEOPLES REPUBLIC OF")
    ].encounters.sum()
    assert seed.loc[cid, "data_value"] == want
    assert seed.loc[cid, "verdict"] == verdict


def test_seed_west_virginia_rank(seed):
    od = query.load("overdose_deaths")
    d = od[
        (od.year == 2022)
        & (od.status == "final")
        & od.geo.isin(contract.STATE_CODES)
        & (od.drug == "all_drugs")
    ]
    top = d.sort_values("age_adjusted_rate", ascending=False).geo.iloc[0]
    assert (
        top == "WV"
        and seed.loc["C10", "data_value"] == 1
        and seed.loc["C10", "verdict"] == "supported"
    )


def test_every_claim_listed_with_a_verdict_or_event(seed):
    q = seed[seed.kind == "quantitative"]
    assert set(q.verdict) <= set(claims.VERDICTS) and len(q) >= 10
    assert (q.explanation.str.len() > 20).all()
    nc = q[q.verdict == "not_checkable"]
    assert (nc.explanation.str.contains("Not checkable")).all()
    ev = seed[seed.kind == "event"]
    assert len(ev) >= 5 and ev.event_date.str.match(r"\d{4}-\d{2}-\d{2}").all()
    assert ev.evidence_url.str.startswith("https://").all()


def test_summary_counts(seed):
    s = claims.summary(seed.reset_index())
    assert s["claims"] == sum(s[v] for v in claims.VERDICTS)


def test_verdicts_follow_the_data_after_an_ingest(store, tmp_path):
    """Replace FY2023 Chinese USBP encounters with a smaller figure: C07 changes verdict."""
    from indicators import ingest

    en = store.load("encounters")
    fy23 = en[(en.fiscal_year == 2023) & (en.month == 9)].copy()
    mask = (fy23.citizenship == "CHINA, PEOPLES REPUBLIC OF") & (
        fy23.component == "U.S. Border Patrol"
    )
    fy23.loc[mask, "encounters"] = 0
    fy23["vintage"] = "2099-01"
    p = tmp_path / "enc.csv"
    fy23.to_csv(p, index=False)
    before = claims.evaluate_all(store).set_index("claim_id").loc["C07"]
    ingest.ingest([p], store)
    after = claims.evaluate_all(store).set_index("claim_id").loc["C07"]
    assert after.data_value < before.data_value
    assert (
        after.data_value
        == before.data_value
        - en[
            (en.fiscal_year == 2023)
            & (en.month == 9)
            & (en.citizenship == "CHINA, PEOPLES REPUBLIC OF")
            & (en.component == "U.S. Border Patrol")
        ].encounters.sum()
    )


def test_malformed_claim_row_names_the_row(store, tmp_path):
    df = store.load("claims").copy()
    df.loc[3, "kind"] = "opinion"
    p = tmp_path / "claims.csv"
    df.to_csv(p, index=False)
    with pytest.raises(InputError) as exc:
        sources.parse_path(p)
    assert "'kind'" in str(exc.value) and "line 5" in str(exc.value) and "opinion" in str(exc.value)


def test_claim_with_bad_spec_is_not_checkable_not_a_crash():
    c = claims.claim_dict(pd.Series({"kind": "quantitative", "table": "seizures", "filters": "colour=red", "year_basis": "calendar",
                                     "year_start": 2023, "year_end": 2023, "measure": "quantity", "comparator": "over",
                                     "claimed_value": 1.0, "unit": "lb", "note": ""}))  # fmt: skip
    out = claims.evaluate(c)
    assert out["verdict"] == "not_checkable" and "unknown column 'colour'" in out["explanation"]


# --- honest verdicts: vintages, choices that flip a verdict, comparability ---------------


@pytest.mark.parametrize(
    "data,claimed,comparator,verdict",
    [
        (1_900_000, 2_000_000, "nearly", "supported"),  # 5% below "nearly 2 million"
        (2_050_000, 2_000_000, "nearly", "supported"),  # within the 5% rounding band above
        (2_150_000, 2_000_000, "nearly", "understated"),
        (1_700_000, 2_000_000, "nearly", "overstated"),
        (1_000_000, 2_000_000, "nearly", "contradicted"),
        (27_023, 27_000, "exactly", "supported"),
        (28_000, 27_000, "exactly", "understated"),
    ],
)
def test_nearly_and_exactly_rules(data, claimed, comparator, verdict):
    assert claims.compare(data, claimed, comparator)[0] == verdict


def test_c09_title_8_alone_flips_the_verdict(seed):
    en = query.load("encounters")
    d = en[
        (en.component == "Office of Field Operations")
        & (en.fiscal_year == 2023)
        & (en.citizenship == "CHINA, PEOPLES REPUBLIC OF")
    ]
    t8 = d[d.title_of_authority == "Title 8"].encounters.sum()
    t42 = d[d.title_of_authority == "Title 42"].encounters.sum()
    assert (t8, t42) == (27_920, 655)
    c = seed.loc["C09"]
    assert c.verdict == "supported" and c.data_value == t8 + t42 and c.depends_on_choice
    v = next(v for v in c.variant_results if v["label"].startswith("Title 8 only"))
    assert v["data_value"] == t8 and v["verdict"] == "overstated"
    assert (
        "Title 8 only (Title 42 expulsions left out) gives 27,920 encounters (overstated"
        in c.explanation
    )


def test_year_to_date_claims_never_compared_with_a_full_year(seed):
    for cid in ("C04", "C05"):
        c = seed.loc[cid]
        assert c.verdict == "not_checkable"
        for v in c.variant_results:
            assert v["comparable"] is False and v["verdict"] == "not_checkable"
            assert "not comparable" in v["reason"]
        assert "contradicted" not in c.explanation and "not comparable" in c.explanation


def test_every_verdict_records_its_data_vintage(seed):
    q = seed[(seed.kind == "quantitative") & seed.data_value.notna()]
    assert len(q) >= 8
    for cid, c in q.iterrows():
        assert re.fullmatch(r"[\w]+@[\d-]+(; [\w]+@[\d-]+)*", c.data_vintage), cid
        # the explanation names each file by its dataset's title, not its id
        assert "Data compared: " in c.explanation and "@" not in c.explanation, cid
        for sid in c.data_vintage.split("; "):
            assert manifest.by_id()[sid.split("@")[0]]["title"] in c.explanation, cid
    assert seed.loc["C02", "data_vintage"] == "nchs_final_annual_us@2023-12"
    assert (
        seed.loc["C10", "published_after_article"] is False
        or not seed.loc["C10", "published_after_article"]
    )


def test_c02_data_published_after_the_article(seed):
    c = seed.loc["C02"]
    # final 2023 counts came out in December 2024, after the September 2024 article
    assert c.published_after_article and c.data_released == "2024-12"
    assert c.period_first_published == "2024-12" and c.period_published_by_article is False
    assert "did not exist when the article appeared" in c.explanation
    pred = next(v for v in c.variant_results if v["label"] == "provisional, predicted")
    assert pred["verdict"] == "supported" and pred["published_after_article"]
    assert pred["data_vintage"] == "vsrr_us_through_2025_04@2025-04"
    assert "75,219 deaths (supported, data published after the article)" in c.explanation
    # the store holds no earlier vintage of these figures
    assert pred["at_publication"] is None and c.at_publication is None
    assert "No earlier vintage is stored" in c.explanation


def test_verdict_at_publication_from_an_earlier_stored_vintage(store):
    """Store a version whose December-2023 VSRR row is an earlier release (test figures), then
    the current one: the predicted variant of C02 gets its verdict as of publication."""
    cur = store.load("overdose_deaths")
    earlier = cur.copy()
    row = (
        (earlier.geo == "US")
        & (earlier.drug == "synthetic_opioids")
        & (earlier.status == "provisional")
        & (earlier.period_type == "12_month_ending")
        & (earlier.year == 2023)
        & (earlier.month == 12)
    )
    assert row.sum() == 1
    earlier.loc[row, "deaths_predicted"] = 74_500  # a test value standing for an earlier release
    earlier.loc[row, "vintage"] = "2024-04"
    with store.lock():
        v_old = store.commit({"overdose_deaths": earlier}, "test: an earlier VSRR vintage")
        store.commit({"overdose_deaths": cur}, "test: the current vintage again")
    c = claims.evaluate_all(store).set_index("claim_id").loc["C02"]
    pred = next(v for v in c.variant_results if v["label"] == "provisional, predicted")
    assert pred["data_value"] == 75_219 and pred["verdict"] == "supported"
    at = pred["at_publication"]
    assert at["store_version"] == v_old.number and at["data_value"] == 74_500
    assert at["verdict"] == "overstated" and at["data_released"] == "2024-05"
    assert at["data_vintage"] == "vsrr_us_through_2025_04@2024-04"


def test_article_events_dated_from_the_article_and_sources(seed):
    text = SEED_ARTICLE.read_text()
    ev = seed[seed.kind == "event"]
    want = {"E07": "2024-07-22", "E08": "2024-07-01", "E09": "2023-11-16"}
    for cid, date in want.items():
        e = ev.loc[cid]
        assert e.event_date == date and e.evidence_url.startswith("https://") and e.note
        assert e.quote in text  # the quote is the article's own words
    # the article dates the indictment and the sanctions "In July" (2024)
    assert "In July, the U.S. Department of Justice indicted" in text
    assert ev.loc["E07"].event_date[:7] == ev.loc["E08"].event_date[:7] == "2024-07"
