"""Every kind of access the code logs has a readable name in the log review."""

import ast
from pathlib import Path

from django.utils import translation

from fyren.region.labels import OBJECT_TYPES, object_label

ROOT = Path(__file__).resolve().parents[1]


def _object_types_logged() -> set[str]:
    """The ``object_type`` given as text to any call that passes it on (the access
    log's writers and the checks that write it)."""
    found = set()
    for path in (ROOT / "fyren").rglob("*.py"):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if name in ("audit_event_write", "filter", "exclude", "get"):  # audit events name models
                continue
            for keyword in node.keywords:
                if keyword.arg == "object_type" and isinstance(keyword.value, ast.Constant):
                    found.add(keyword.value.value)
    return found


def test_every_object_type_written_to_the_access_log_has_a_label():
    logged = _object_types_logged()
    assert len(logged) > 20
    assert sorted(code for code in logged - set(OBJECT_TYPES) if not code.startswith("fhir:")) == []


def test_a_fhir_read_names_its_resource_type():
    with translation.override("en"):
        assert object_label("fhir:Observation") == "Observation through the FHIR interface"
    with translation.override("sv"):
        assert object_label("fhir:Observation") == "Observation via FHIR-gränssnittet"
