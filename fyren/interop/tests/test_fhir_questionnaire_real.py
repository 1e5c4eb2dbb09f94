"""Real public Questionnaires import with a working score (fixtures and their
sources in fixtures/README.md), and what the importer says when it cannot."""

import json
from pathlib import Path

import pytest

from fyren.interop.fhir.questionnaire import InvalidQuestionnaire, questionnaire_to_instrument
from fyren.questionnaires.alerts import evaluate_alerts
from fyren.questionnaires.items import iter_items
from fyren.questionnaires.scoring import score

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
    definition = questionnaire_to_instrument(load("lforms-phq9.json"))
    assert definition["known_instrument"] == "phq9"
    assert score(definition, answer_all(definition, 3)).scores["/44261-6"] == 27
    assert score(definition, answer_all(definition, 2)).scores["/44261-6"] == 18
    first = scored_items(definition)[0]
    assert first["codes"][0]["code"] == "44250-9"  # item codes kept
    answers = answer_all(definition, 0) | {"/44260-8": "LA6569-3"}  # item 9: several days
    result = score(definition, answers)
    raised = evaluate_alerts(definition, answers, result)
    assert any(a.urgent for a in raised)
    assert "safety alerts are attached" in definition["import_notes"][0]


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
