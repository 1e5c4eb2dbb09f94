"""The shipped library is one checked file per instrument."""

import copy
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from fyren.instruments.library import DATA, LIBRARY, definition_problems, load


def test_every_shipped_instrument_is_one_file_named_by_its_code_and_has_no_problem():
    files = sorted(path.stem for path in DATA.glob("*.json"))
    assert files == sorted(LIBRARY) and len(files) >= 8
    assert {code: definition_problems(definition) for code, definition in LIBRARY.items()} == dict.fromkeys(files, [])


def broken(change):
    definition = copy.deepcopy(LIBRARY["phq9"])
    change(definition)
    return definition_problems(definition)


def test_each_rule_names_what_is_wrong():
    assert broken(lambda d: d.pop("licence")) == ["no licence"]
    assert broken(lambda d: d["name"].pop("en")) == ["name: no text in en"]
    assert broken(lambda d: d["items"][1].update(link_id="1")) == [
        "item 1: link_id used twice",
        "score total: no items 2",
    ]
    assert broken(lambda d: d["option_sets"].pop("freq")) == [f"item {n}: no answer options" for n in range(1, 10)]
    assert broken(lambda d: d["scoring"]["scores"][0]["items"].append("10")) == ["score total: no items 10"]
    assert broken(lambda d: d["scoring"]["bands"]["total"][1].update(min=3)) == ["bands minimal and mild overlap"]
    assert broken(lambda d: d["alerts"][0].update(link_id="99")) == ["alert 1: no item 99"]
    assert broken(lambda d: d["alerts"][1].update(operator="≈")) == ["alert 2: unknown operator ≈"]
    assert broken(lambda d: d.update(languages=["en"])) == ["languages: Swedish (sv) is missing"]


def test_a_broken_file_stops_the_start_naming_the_file_and_the_rule(tmp_path):
    definition = copy.deepcopy(LIBRARY["gad7"])
    definition["alerts"][0]["score"] = "sum"
    (tmp_path / "gad7.json").write_text(json.dumps(definition), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"gad7\.json: alert 1: no score sum"):
        load(tmp_path)


def test_a_file_must_be_named_by_the_code_it_holds(tmp_path):
    (tmp_path / "phq-9.json").write_text(json.dumps(LIBRARY["phq9"]), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="is not the file's name"):
        load(tmp_path)
    (tmp_path / "phq-9.json").write_text("{", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="is not JSON"):
        load(tmp_path)
