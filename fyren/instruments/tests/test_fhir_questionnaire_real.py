"""Real public Questionnaires import with a working score (fixtures and their
sources in fixtures/README.md), and what the importer says when it cannot."""

import json
import math
from pathlib import Path

import pytest
from django.utils import translation

from fyren.instruments.alerts import evaluate_alerts
from fyren.instruments.fhir import InvalidQuestionnaire, questionnaire_to_instrument
from fyren.instruments.items import iter_items
from fyren.instruments.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    return json.loads((FIXTURES / name).read_text())


def scored_items(definition):
    return [
        i for i in iter_items(definition["items"]) if any(o.get("value") is not None for o in i.get("options") or [])
    ]


def answer_all(definition, index):
    """Every scored item answered with its ``index``-th option."""
    return {i["link_id"]: i["options"][index]["code"] for i in scored_items(definition)}


def test_the_sdc_phq9_with_a_contained_value_set_and_sdc_functions():
    definition = questionnaire_to_instrument(load("sdc-phq9.json"))
    items = scored_items(definition)
    assert len(items) == 9 and [o["value"] for o in items[0]["options"]] == [0, 1, 2, 3]
    ((score_id, _expr),) = [(s["id"], s["expression"]) for s in definition["scoring"]["scores"]]
    assert score(definition, answer_all(definition, 3)).scores[score_id] == 27
    assert score(definition, answer_all(definition, 0)).scores[score_id] == 0
    mixed = answer_all(definition, 1) | {items[0]["link_id"]: items[0]["options"][3]["code"]}
    assert score(definition, mixed).scores[score_id] == 11
    assert definition["known_instrument"] == "" and definition["alerts"] == []  # no LOINC code: not recognised


def test_the_lforms_phq9_with_variables_reading_the_questionnaire_gets_the_library_alerts():
    with translation.override("en"):
        definition = questionnaire_to_instrument(load("lforms-phq9.json"), language="en")
    assert definition["known_instrument"] == "phq9"
    assert score(definition, answer_all(definition, 3)).scores["/44261-6"] == 27
    assert score(definition, answer_all(definition, 2)).scores["/44261-6"] == 18
    first = scored_items(definition)[0]
    assert first["codes"][0]["code"] == "44250-9"  # item codes kept
    answers = answer_all(definition, 0) | {"/44260-8": "LA6569-3"}  # item 9: several days
    result = score(definition, answers)
    raised = evaluate_alerts(definition, answers, result)
    assert any(a.urgent for a in raised)
    assert "taken as English" in definition["import_notes"][0]  # it states no language
    assert "safety alerts are attached" in definition["import_notes"][-1]
    assert definition["languages"] == ["en"]


HEADER = {"resourceType": "Questionnaire", "status": "active", "language": "en"}


def test_a_loinc_answer_list_and_a_total_without_a_formula_are_offered_plainly():
    resource = HEADER | {
        "code": [{"system": "http://loinc.org", "code": "55757-9"}],
        "item": [
            {"linkId": f"q{n}", "type": "choice", "text": f"Q{n}", "answerValueSet": "http://loinc.org/vs/LL358-3"}
            for n in (1, 2)
        ]
        + [
            {
                "linkId": "total",
                "type": "integer",
                "text": "Total",
                "code": [{"system": "http://loinc.org", "code": "55758-7"}],
            }
        ],
    }
    with translation.override("en"):
        definition = questionnaire_to_instrument(resource)
    (proposed,) = definition["scoring"]["scores"]
    assert proposed["proposed"] and proposed["items"] == ["q1", "q2"]
    assert "without a formula" in definition["import_notes"][0]
    assert score(definition, {"q1": "LA6571-9", "q2": "LA6570-1"}).scores["total"] == 5


def test_what_cannot_be_scored_is_refused_at_import():
    unknown = HEADER | {"item": [{"linkId": "a", "type": "choice", "answerValueSet": "http://example.org/vs/x"}]}
    with pytest.raises(InvalidQuestionnaire, match="neither contained"):
        questionnaire_to_instrument(unknown)
    broken = HEADER | {
        "item": [
            {"linkId": "a", "type": "choice", "answerValueSet": "http://loinc.org/vs/LL358-3"},
            {
                "linkId": "score-total",
                "type": "decimal",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                        "valueExpression": {"language": "text/fhirpath", "expression": "%resource.nothing.here"},
                    }
                ],
            },
        ]
    }
    with pytest.raises(InvalidQuestionnaire, match="cannot be computed"):
        questionnaire_to_instrument(broken)


def test_the_argonaut_phq9_in_stu3_with_a_total_described_in_words():
    with translation.override("en"):
        definition = questionnaire_to_instrument(load("argonaut-phq9.json"), language="en")
    items = scored_items(definition)
    assert len(items) == 9 and [o["value"] for o in items[0]["options"]] == [0, 1, 2, 3]
    (total,) = definition["scoring"]["scores"]
    assert total["proposed"] and "g2.q1" not in total["items"]  # the difficulty question carries no weight
    assert score(definition, answer_all(definition, 3) | {"g2.q1": "LA6574-3"}).scores["total"] == 27
    assert score(definition, answer_all(definition, 1) | {"g2.q1": "LA6572-7"}).scores["total"] == 9
    notes = " ".join(definition["import_notes"])
    assert "STU3" in notes and "without a formula" in notes and "safety alerts are attached" in notes
    answers = answer_all(definition, 0) | {"g1.q9": "LA6570-1", "g2.q1": "LA6572-7"}
    assert any(a.urgent for a in evaluate_alerts(definition, answers, score(definition, answers)))


def test_a_gad7_on_the_loinc_answer_list_is_recognised_with_its_alerts():
    codes = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
    resource = HEADER | {
        "code": [{"system": "http://loinc.org", "code": "69737-5"}],
        "item": [
            {
                "linkId": f"/{code}",
                "type": "choice",
                "text": code,
                "code": [{"system": "http://loinc.org", "code": code}],
                "answerValueSet": "http://loinc.org/vs/LL358-3",
            }
            for code in codes
        ]
        + [{"linkId": "/70274-6", "type": "integer", "code": [{"system": "http://loinc.org", "code": "70274-6"}]}],
    }
    definition = questionnaire_to_instrument(resource)
    assert definition["known_instrument"] == "gad7"
    assert score(definition, {f"/{c}": "LA6571-9" for c in codes}).scores["total"] == 21
    assert definition["scoring"]["loinc"]["total"] == "70274-6"
    assert [a["type"] for a in definition["alerts"]] == ["score", "worsening"]  # ≥ 15, and +5 since the start
    assert all(a["score"] == "total" for a in definition["alerts"])


# --- the fixture library: every real Questionnaire scored on answer sets added up by hand ----------

SCORED = [
    # fixture, source, answer sets as the option index of each weighted item in order, expected score
    ("sdc-phq9.json", "HL7 SDC", [([3] * 9, 27), ([0, 1, 2, 3, 0, 1, 2, 3, 1], 13)]),
    ("sdc-phq9-2020.json", "HL7 SDC", [([3] * 9, 27), ([0, 1, 2, 3, 0, 1, 2, 3, 1], 13), ([0] * 9, 0)]),
    ("lforms-phq9.json", "LHC-Forms", [([2] * 9, 18), ([1, 0, 0, 0, 0, 0, 0, 0, 3], 4)]),
    ("lforms-phq9-weight.json", "LHC-Forms", [([3, 3, 0, 0, 1, 1, 2, 2, 0], 12), ([3] * 9, 27)]),
    ("lforms-apgar.json", "LHC-Forms", [([2] * 5, 10), ([0, 1, 2, 1, 0], 4)]),
    ("argonaut-phq9.json", "Argonaut", [([1] * 9, 9), ([3, 3, 3, 0, 0, 0, 0, 0, 1], 10)]),
    ("argonaut-audit-c.json", "Argonaut", [([4, 4, 4], 12), ([1, 2, 0], 3)]),
    # DAST-10: one point per yes, but for question 3 a no scores.
    ("argonaut-dast10.json", "Argonaut", [([0] * 10, 1), ([1] * 10, 9), ([1, 1, 0, 1, 1, 1, 1, 1, 1, 1], 10)]),
    ("pghd-phq9.json", "HL7 PHR IG", [([2] * 9, 18), ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1)]),
    ("pghd-gad7.json", "HL7 PHR IG", [([3] * 7, 21), ([1, 2, 3, 0, 1, 2, 3], 12)]),
    ("stanford-gad7.json", "Stanford", [([1, 2, 3, 0, 1, 2, 3], 12), ([0] * 7, 0)]),
    ("stanford-phq9.json", "Stanford", [([2] * 9, 18), ([3, 0, 0, 0, 0, 0, 0, 0, 0], 3)]),
    # Glasgow coma scale: verbal 1-5, motor 1-6, eyes 1-4, from the LOINC answers' scores.
    ("stanford-gcs.json", "Stanford", [([4, 5, 3], 15), ([0, 0, 0], 3), ([3, 4, 2], 12)]),
    ("vulcan-phq15.json", "HL7 Vulcan", [([2] * 15, 30), ([1, 0] * 7 + [2], 9)]),
]


@pytest.mark.parametrize(("name", "source", "cases"), SCORED, ids=[row[0] for row in SCORED])
def test_a_real_questionnaire_scores_as_added_up_by_hand(name, source, cases):
    with translation.override("en"):
        definition = questionnaire_to_instrument(load(name), language="en")
    (spec,) = definition["scoring"]["scores"]
    items = scored_items(definition)
    for indices, expected in cases:
        assert len(indices) == len(items), f"{name}: {len(items)} weighted items"
        answers = {item["link_id"]: item["options"][i]["code"] for item, i in zip(items, indices, strict=True)}
        assert score(definition, answers).scores[spec["id"]] == expected, (name, indices)


def test_the_fixtures_come_from_at_least_four_sources_and_fifteen_are_scored():
    numeric = ["lforms-weight-height.json", "sdc-weight-height.json", "sdc-framingham-hchd.json"]
    assert len(SCORED) + len(numeric) >= 15
    assert len({source for _n, source, _c in SCORED}) >= 4
    listed = (FIXTURES / "README.md").read_text()
    assert all(f"`{name}`" in listed for name, _s, _c in SCORED) and all(f"`{n}`" in listed for n in numeric)


def test_the_sdc_3_phq9_written_as_a_sum_of_an_expression():
    with translation.override("en"):
        definition = questionnaire_to_instrument(load("sdc-phq9-2020.json"), language="en")
    (spec,) = definition["scoring"]["scores"]
    assert load("sdc-phq9-2020.json")["item"][0]["item"][-1]["extension"][0]["valueExpression"]["expression"] == (
        "answers().sum(value.ordinal())"
    )
    assert spec["expression"] == "answers().select(value.ordinal()).sum()"
    assert "sum(…)" in " ".join(definition["import_notes"])


def test_loinc_identified_instruments_without_weights_get_the_answer_lists_weights_and_alerts():
    with translation.override("en"):
        gad7 = questionnaire_to_instrument(load("pghd-gad7.json"), language="en")
        phq9 = questionnaire_to_instrument(load("pghd-phq9.json"), language="en")
    assert gad7["known_instrument"] == "gad7" and [a["type"] for a in gad7["alerts"]] == ["score", "worsening"]
    severe = {i["link_id"]: i["options"][3]["code"] for i in scored_items(gad7)}
    assert any(a.kind == "score" for a in evaluate_alerts(gad7, severe, score(gad7, severe)))
    assert phq9["known_instrument"] == "phq9"
    answers = {i["link_id"]: i["options"][0]["code"] for i in scored_items(phq9)} | {"44260-8": "LA6569-3"}
    assert any(a.urgent for a in evaluate_alerts(phq9, answers, score(phq9, answers)))
    declined = {i["link_id"]: i["options"][-1]["code"] for i in scored_items(gad7)}  # "asked but declined"
    assert score(gad7, declined).scores["total"] is None  # no total from answers the person declined to give


def test_a_loinc_total_with_no_formula_is_offered_as_the_sum_of_the_weights():
    with translation.override("en"):
        definition = questionnaire_to_instrument(load("vulcan-phq15.json"), language="en")
    (spec,) = definition["scoring"]["scores"]
    assert spec["proposed"] and len(spec["items"]) == 15
    assert definition["scoring"]["loinc"] == {"total": "70273-8"}
    assert "PHQ-15 total score (LOINC 70273-8)" in " ".join(definition["import_notes"])


def test_calculated_numbers_from_numeric_answers():
    with translation.override("en"):
        lhc = questionnaire_to_instrument(load("lforms-weight-height.json"), language="en")
        sdc = questionnaire_to_instrument(load("sdc-weight-height.json"), language="en")
    # BMI from kilograms and inches: 70 / (70 × 0.0254)² = 22.14…, rounded to one decimal.
    assert score(lhc, {"/29463-7": 70, "/8302-2": 70}).scores["/39156-5"] == 22.1
    assert score(sdc, {"/29463-7": 90, "/8302-2": 72}).scores["/39156-5"] == 26.9


def test_the_framingham_risk_with_fractional_powers():
    with translation.override("en"):
        definition = questionnaire_to_instrument(load("sdc-framingham-hchd.json"), language="en")
    (spec,) = definition["scoring"]["scores"]
    assert spec["id"] == "riskDecimal"
    assert "'riskPercentage' is calculated but is not a number" in " ".join(definition["import_notes"])
    male = next(o["code"] for o in definition["items"][2]["options"] if o["text"]["en"] == "Male")
    answers = {"/age": 50, "/46098-0": male, "/smokes": "Y", "/8480-6": 130, "/2093-3": 200, "/2085-9": 50}
    answers["/antihypertensive"] = "N"
    # The men's formula (age ≤ 70) as the Questionnaire states it, computed here with math.
    age, chol, hdl, sbp, smokes, treated = math.log(50), math.log(200), math.log(50), math.log(130), 1, 0
    exponent = (
        52.00961 * (age - 3.8926095)
        + 20.014077 * (chol - 5.3441475)
        - 0.905964 * (hdl - 3.7731132)
        + 1.305784 * (sbp - 4.8618212)
        + 0.241549 * (treated - 0.1180474)
        + 12.096316 * (smokes - 0.335602)
        - 4.605038 * (age * chol - 20.8111562)
        - 2.84367 * (age * smokes - 1.2890301)
        - 2.93323 * (age * age - 15.2144965)
    )
    risk = 1 - 0.9402 ** math.exp(exponent)
    assert score(definition, answers).scores["riskDecimal"] == pytest.approx(risk, rel=1e-9)
    assert 0.05 < risk < 0.5
    assert score(definition, answers | {"/smokes": "N"}).scores["riskDecimal"] < risk


def test_what_real_questionnaires_leave_out_is_said():
    with translation.override("en"):
        hunger = questionnaire_to_instrument(load("sdc-hunger-vital-signs.json"), language="en")
        ipss = questionnaire_to_instrument(load("stanford-ipss.json"), language="en")
    assert hunger["scoring"]["scores"] == []  # its calculated item is a risk category, not a number
    assert "'/88124-3' is calculated but is not a number (type choice)" in " ".join(hunger["import_notes"])
    (spec,) = ipss["scoring"]["scores"]
    assert spec["proposed"] and len(spec["items"]) == 6  # the nocturia question lists its answers without weights
    assert "1 choice items carry no weights and are not in it: 0c29668e" in " ".join(ipss["import_notes"])


def test_a_score_that_does_not_read_the_answers_is_refused():
    """The SDC PHQ-9 example as the guide's source has it in 2026 sums the answers of
    the top-level items, which are a group and hold none: 0 whatever is answered."""
    resource = load("sdc-phq9.json")
    total = resource["item"][0]["item"][-1]
    total["extension"][0]["valueExpression"]["expression"] = (
        "%resource.item.where(linkId!='H1/TS').answer.value.weight().sum()"
    )
    with pytest.raises(InvalidQuestionnaire, match="gives 0 whatever the answers"):
        questionnaire_to_instrument(resource, language="en")
