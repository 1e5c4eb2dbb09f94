"""The national tables on a small hand-made data set whose every cell is known."""

from decimal import Decimal

from fyren.reporting.national import (
    COUNTRY,
    YearCounts,
    changed_since,
    default_rules,
    figures_of,
    national_tables,
    percent,
    rate,
    suppress,
    table_sex,
)

# Uppsala (03): 2 MMR1 women public, 1 MMR2 man private, 4 KBT women private, 1 IPT man public, 2 IKBT women.
# Gotland (09): 6 KBT men public, 3 MMR2 women public.
COUNTS = YearCounts(
    treatments={
        ("03", "MMR1", "F", "public"): 2,
        ("03", "MMR2", "M", "private"): 1,
        ("03", "KBT", "F", "private"): 4,
        ("03", "IPT", "M", "public"): 1,
        ("03", "IKBT", "F", "public"): 2,
        ("09", "KBT", "M", "public"): 6,
        ("09", "MMR2", "F", "public"): 3,
    },
    contacts={("03", "employer"): 2, ("09", "employment_service"): 1},
    population={"03": 2000, "09": 4000},
)


def tables(threshold=0):
    return {t.key: t for t in national_tables(COUNTS, {2017: COUNTS}, threshold=threshold)}


def cells(table, code):
    return {k: c.value for k, c in table.row(code).cells.items()}


def test_rates_round_half_up_to_one_decimal_and_percent_to_whole():
    assert rate(1, 4000) == Decimal("0.3")  # 0.25 → 0.3, not banker's 0.2
    assert rate(3, 2000) == Decimal("1.5")
    assert rate(5, 0) is None
    assert percent(1, 8) == Decimal("13") and percent(3, 8) == Decimal("38")


def test_every_cell_of_the_pain_and_psychological_tables():
    t = tables()
    uppsala = cells(t["T1"], "03")
    assert uppsala == {
        "MMR1": 2,
        "MMR2": 1,
        "MMR": 3,
        "MMR_per_1000": Decimal("1.5"),
        "BEHAVIOURAL_MEDICINE": 0,
        "ACTIVE_TRAINING": 0,
        "OTHER_PAIN": 0,
    }
    country = cells(t["T1"], COUNTRY)
    assert country["MMR"] == 6 and country["MMR_per_1000"] == Decimal("1.0")  # 6 of 6000
    psych = cells(t["T2"], "03")
    assert psych["KBT_IPT"] == 5 and psych["KBT_IPT_per_1000"] == Decimal("2.5")  # IKBT not counted
    assert cells(t["T2"], "09")["KBT_IPT_per_1000"] == Decimal("1.5")
    assert cells(t["T2"], COUNTRY)["KBT_IPT_per_1000"] == Decimal("1.8")  # 11 of 6000 = 1.83
    assert len(t["T1"].rows) == 22  # 21 regions and the country


def test_sex_provider_and_contacts_with_the_countrys_percentages():
    t = tables()
    assert cells(t["T3"], "03") == {
        "total": 10,
        "M": 2,
        "F": 8,
        "M_percent": Decimal("20"),
        "F_percent": Decimal("80"),
    }
    assert cells(t["T3"], COUNTRY) == {
        "total": 19,
        "M": 8,
        "F": 11,
        "M_percent": Decimal("42"),
        "F_percent": Decimal("58"),
    }
    assert cells(t["T4"], COUNTRY)["private"] == 5 and cells(t["T4"], COUNTRY)["public"] == 14
    assert cells(t["T5"], COUNTRY) == {"employer": 2, "employment_service": 1}


def test_small_counts_are_hidden_with_every_cell_that_would_give_them_away():
    t = tables(threshold=3)
    sex = t["T3"].row("03").cells
    assert sex["M"].hidden and sex["F"].hidden  # M = 2 hidden; F = 8 would give it away from the total
    pain = t["T1"]
    assert pain.row("03").cells["MMR1"].hidden and pain.row("03").cells["MMR2"].hidden
    assert not pain.row("03").cells["MMR"].hidden  # 3 is at the threshold
    # The country's MMR1 (2) is a small count too, and its MMR2 goes with it (the total is shown).
    country = pain.row(COUNTRY).cells
    assert country["MMR1"].hidden and country["MMR2"].hidden and not country["MMR"].hidden
    # Men: Uppsala's 2 is hidden and the country's 8 is shown, so Gotland's 6 is hidden too,
    # and with it Gotland's women (their total is shown).
    gotland = t["T3"].row("09").cells
    assert gotland["M"].hidden and gotland["F"].hidden and not t["T3"].row(COUNTRY).cells["M"].hidden
    psych = t["T2"].row("03").cells
    assert psych["IPT"].hidden and psych["KBT"].hidden  # KBT + IPT total shown
    # A zero is no small count; a rate computed from a hidden count is hidden with it.
    assert not pain.row("03").cells["OTHER_PAIN"].hidden


def test_threshold_zero_shows_everything_and_a_rate_goes_with_its_count():
    assert not any(c.hidden for t in tables().values() for r in t.rows for c in r.cells.values())
    t = table_sex(COUNTS)
    suppress(t, 100)
    assert all(c.hidden for c in t.row("03").cells.values() if c.kind == "count" and c.value)


def test_rules_by_year_and_changes_since_an_export():
    assert (default_rules(2017).age_to, default_rules(2016).age_to) == (67, 65)
    assert (default_rules(2012).count_by, default_rules(2011).count_by) == ("completed", "started")
    before = figures_of(list(tables().values()))
    corrected = YearCounts({**COUNTS.treatments, ("03", "MMR1", "F", "public"): 3}, COUNTS.contacts, COUNTS.population)
    after = figures_of(national_tables(corrected, {2017: corrected}))
    changed = {key for key, _old, _new in changed_since(before, after)}
    assert "T1|03|MMR1" in changed and "T1|SE|MMR" in changed and "T2|03|KBT" not in changed
