"""Real public Questionnaires import with a working score (fixtures and their
sources in fixtures/README.md), and what the importer says when it cannot."""

import json
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
