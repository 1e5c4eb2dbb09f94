"""Scoring checked against the published rules of each instrument."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import login_citizen
from fyren.instruments.alerts import evaluate_alerts
from fyren.instruments.items import enabled_items, iter_items, options_of
from fyren.instruments.library import LIBRARY
from fyren.instruments.scoring import max_score, score
from fyren.questionnaires.models import Response

PHQ9, GAD7, AUDIT, AUDITC = LIBRARY["phq9"], LIBRARY["gad7"], LIBRARY["audit"], LIBRARY["auditc"]
MADRS, WHO5, K10, PHQ2 = LIBRARY["madrs_s"], LIBRARY["who5"], LIBRARY["k10"], LIBRARY["phq2"]


def answers(definition, values):
    """link_id → option code for the given numeric values, in item order."""
    items = [i for i in iter_items(definition["items"]) if i["type"] == "choice"]
    result = {}
    for item, value in zip(items, values, strict=False):
        code = next(o["code"] for o in options_of(definition, item) if o["value"] == value)
        result[item["link_id"]] = code
    return result


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([0] * 9, 0, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([2] * 5 + [0] * 4, 10, "moderate"),
        ([2] * 7 + [1, 0], 15, "moderately_severe"),
        ([3] * 9, 27, "severe"),
        ([3] * 6 + [2, 0, 0], 20, "severe"),
    ],
)
def test_phq9_total_and_severity(values, total, band):
    result = score(PHQ9, answers(PHQ9, values))
    assert result.scores["total"] == total and result.bands["total"].code == band and result.complete


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ([0] * 7, 0, "minimal"),
        ([1] * 5 + [0, 0], 5, "mild"),
        ([2] * 5 + [0, 0], 10, "moderate"),
        ([3] * 7, 21, "severe"),
    ],
)
def test_gad7(values, total, band):
    result = score(GAD7, answers(GAD7, values))
    assert (result.scores["total"], result.bands["total"].code) == (total, band)


def test_phq2_cut_off_at_three():
    assert score(PHQ2, answers(PHQ2, [1, 1])).bands["total"].code == "negative"
    assert score(PHQ2, answers(PHQ2, [2, 1])).bands["total"].code == "positive"


def test_phq9_prorates_up_to_two_missing_items():
    given_answers = answers(PHQ9, [2] * 9)
    del given_answers["3"]
    result = score(PHQ9, given_answers)
    assert result.scores["total"] == 18 and "total" in result.prorated and result.missing == ["3"]
    del given_answers["4"], given_answers["5"]
    assert score(PHQ9, given_answers).scores["total"] is None


def test_audit_items_nine_and_ten_score_0_2_4():
    result = score(AUDIT, {**answers(AUDIT, [4] * 8), "9": "4", "10": "2"})
    assert result.scores["total"] == 38 and result.bands["total"].code == "zone4"
    assert score(AUDIT, answers(AUDIT, [1, 1, 1, 1, 1, 1, 1, 0]) | {"9": "0", "10": "0"}).bands["total"].code == "zone1"
    assert max_score(AUDIT, "total") == 40


@pytest.mark.parametrize(
    ("values", "sex", "band"),
    [
        ([1, 1, 1], "F", "positive"),
        ([1, 1, 1], "M", "negative"),
        ([2, 1, 1], "M", "positive"),
        ([1, 1, 0], "F", "negative"),
    ],
)
def test_audit_c_uses_sex_specific_cut_offs(values, sex, band):
    assert score(AUDITC, answers(AUDITC, values), sex=sex).bands["total"].code == band


def test_madrs_s_total_bands_and_range():
    assert score(MADRS, answers(MADRS, [6] * 9)).scores["total"] == 54
    assert score(MADRS, answers(MADRS, [2] * 9)).bands["total"].code == "mild"  # 18
    assert score(MADRS, answers(MADRS, [4] * 9)).bands["total"].code == "severe"  # 36


def test_who5_raw_and_percentage():
    result = score(WHO5, answers(WHO5, [3, 3, 2, 2, 1]))
    assert result.scores == {"raw": 11, "percent": 44}
    assert result.bands["percent"].code == "low" and result.bands["raw"] is None
    assert score(WHO5, answers(WHO5, [1] * 5)).bands["percent"].code == "likely_depression"


def test_k10_skips_follow_up_items_and_scores_them_as_one():
    all_none = {str(n): "0" for n in (1, 2, 4, 5, 7, 8, 9, 10)}
    result = score(K10, all_none)
    assert result.scores["total"] == 10 and result.complete
    assert [i["link_id"] for i in enabled_items(K10, all_none)] == ["1", "2", "4", "5", "7", "8", "9", "10"]
    worst = {str(n): "4" for n in range(1, 11)}
    assert score(K10, worst).scores["total"] == 50
    assert score(K10, {**worst, "2": "0"}).scores["total"] == 50 - 5 + 1 - 5 + 1  # item 3 skipped


def test_reverse_scored_items_and_means():
    definition = {
        "items": [
            {"link_id": "a", "type": "integer", "min": 0, "max": 4},
            {"link_id": "b", "type": "integer", "min": 0, "max": 4},
        ],
        "scoring": {
            "scores": [
                {"id": "s", "items": ["a", "b"], "reverse": ["b"]},
                {"id": "m", "items": ["a", "b"], "method": "mean"},
            ]
        },
    }
    assert score(definition, {"a": 4, "b": 1}).scores == {"s": 7, "m": 2.5}


def test_the_safety_item_raises_an_urgent_alert():
    result_answers = answers(PHQ9, [0] * 8 + [1])
    alerts = evaluate_alerts(PHQ9, result_answers, score(PHQ9, result_answers))
    assert [(a.kind, a.urgent) for a in alerts] == [("item", True)]
    calm = answers(PHQ9, [0] * 9)
    assert evaluate_alerts(PHQ9, calm, score(PHQ9, calm)) == []


def test_madrs_item_nine_at_four_is_urgent_and_at_three_is_not():
    at_four = answers(MADRS, [0] * 8 + [4])
    at_three = answers(MADRS, [0] * 8 + [3])
    assert any(a.urgent for a in evaluate_alerts(MADRS, at_four, score(MADRS, at_four)))
    assert not any(a.urgent for a in evaluate_alerts(MADRS, at_three, score(MADRS, at_three)))


def test_threshold_and_worsening_alerts():
    high = answers(PHQ9, [3] * 7 + [0, 0])
    found = {a.kind for a in evaluate_alerts(PHQ9, high, score(PHQ9, high), baseline={"total": 14})}
    assert found == {"score", "worsening"}
    assert {a.kind for a in evaluate_alerts(PHQ9, high, score(PHQ9, high), baseline={"total": 17})} == {"score"}
    better = answers(WHO5, [1] * 5)  # percent 20, down from 60
    kinds = {a.kind for a in evaluate_alerts(WHO5, better, score(WHO5, better), baseline={"percent": 60})}
    assert kinds == {"score", "worsening"}


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_every_library_instrument_is_complete_in_both_languages(code):
    definition = LIBRARY[code]
    assert definition["source"] and definition["licence"]
    for item in iter_items(definition["items"]):
        assert item["text"]["sv"] and item["text"]["en"]
        for option in options_of(definition, item):
            assert option["text"]["sv"] and option["text"]["en"]
    for bands in definition["scoring"]["bands"].values():
        for band in bands:
            assert band["label"]["sv"] and band["interpretation"]["en"]


def _choice_answers(definition):
    items = [i for i in iter_items(definition["items"]) if i["type"] == "choice"]
    return st.fixed_dictionaries(
        {i["link_id"]: st.sampled_from([o["code"] for o in options_of(definition, i)]) for i in items}
    )


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_complete_answers_always_score_within_range_and_fall_in_a_band(code):
    definition = LIBRARY[code]

    @given(_choice_answers(definition), st.sampled_from(["F", "M"]))
    def check(given_answers, sex):
        result = score(definition, given_answers, sex=sex)
        assert result.complete
        for spec in definition["scoring"]["scores"]:
            value = result.scores[spec["id"]]
            assert 0 <= value <= max_score(definition, spec["id"])
            if spec["id"] in definition["scoring"]["bands"]:
                assert result.bands[spec["id"]] is not None

    check()


@given(_choice_answers(PHQ9), st.sampled_from([str(n) for n in range(1, 10)]))
def test_raising_one_answer_never_lowers_the_phq9_total(given_answers, link):
    before = score(PHQ9, given_answers).scores["total"]
    raised = {**given_answers, link: str(min(3, int(given_answers[link]) + 1))}
    assert score(PHQ9, raised).scores["total"] >= before


@given(_choice_answers(PHQ9))
def test_the_phq9_total_is_the_sum_of_its_items(given_answers):
    assert score(PHQ9, given_answers).scores["total"] == sum(int(c) for c in given_answers.values())


def _texts(value):
    """Every translatable text mapping anywhere in a definition."""
    if isinstance(value, dict):
        languages = {"sv", "en", "ar", "fa", "fi", "so", "ti", "uk"}
        if value and set(value) & languages and all(isinstance(v, str) for v in value.values()):
            yield value
            return
        for inner in value.values():
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_the_library_carries_only_translations_whose_source_is_noted(code):
    """#19: an instrument is offered in a language only when its translation's
    source is noted (``languages`` and ``source``); none is written by us."""
    definition = LIBRARY[code]
    declared = set(definition["languages"])
    assert declared <= {"sv", "en"}  # no official translation into another language is shipped yet
    assert "Swedish" in definition["source"] or "svensk" in definition["source"].lower()
    for texts in _texts({k: v for k, v in definition.items() if k not in ("source", "licence")}):
        assert set(texts) <= declared, (code, texts)


@pytest.mark.django_db
def test_a_questionnaire_without_a_checked_translation_is_shown_in_one_that_has_it(client, enrolled):
    login_citizen(client, enrolled.patient)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/me/"})
    response = client.post(f"/me/questionnaires/send/{enrolled.send.pk}/start/")
    answer = Response.objects.get(send=enrolled.send)
    assert answer.language == "sv"  # the PHQ-9 ships in Swedish and English only
    html = client.get(response.url).content.decode()
    assert '<h1 lang="sv" dir="ltr">' in html
    assert "لا توجد ترجمة موثقة لهذا الاستبيان" in html
