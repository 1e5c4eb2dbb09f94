"""Who a program is for (#32): a version states its age range; a start outside it
is refused with the reason, by staff or by the citizen; a program open to people
under 18 says how guardians take part before it can be published."""

import pytest
from django.core.exceptions import ValidationError

from conftest import login_citizen
from fyren.accounts.models import User
from fyren.care.models import Enrolment
from fyren.care.services import enrolment_end, enrolment_start
from fyren.programs import services as program_services
from fyren.programs.checks import version_problems
from fyren.programs.models import ProgramVersion, UnitProgram
from fyren.programs.package import export_package, import_package
from fyren.programs.tree import load_tree
from fyren.questionnaires.tests.conftest import ASSESSMENT, enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def limit(version, low, high):
    ProgramVersion.objects.filter(pk=version.pk).update(min_age=low, max_age=high)
    version.refresh_from_db()


def test_a_start_outside_the_age_range_is_refused_with_the_reason(enrolled):  # noqa: F811
    w = enrolled
    enrolment_end(actor=w.clinician, enrolment=w.enrolment, completed=False, reason="test")
    age = w.patient.age_on()
    limit(w.version, 13, 17)
    with pytest.raises(ValidationError) as refused:
        enrolment_start(
            actor=w.clinician, citizen=w.patient, program_version=w.version, unit=w.unit, assessment=ASSESSMENT
        )
    assert "13–17" in str(refused.value) and str(age) in str(refused.value)
    limit(w.version, 18, None)
    started = enrolment_start(
        actor=w.clinician, citizen=w.patient, program_version=w.version, unit=w.unit, assessment=ASSESSMENT
    )
    assert started.status == Enrolment.Status.ACTIVE


def test_the_citizen_is_told_before_starting(client, enrolled):  # noqa: F811
    w = enrolled
    enrolment_end(actor=w.clinician, enrolment=w.enrolment, completed=False, reason="test")
    UnitProgram.objects.filter(program=w.version.program, unit=w.unit).update(self_enrolment=True)
    offer = UnitProgram.objects.get(program=w.version.program, unit=w.unit)
    limit(w.version, None, 25)
    login_citizen(client, w.patient)
    page = client.get(f"/me/enrolments/open/{offer.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "up to 25" in text or "upp till 25" in text
    assert client.post(f"/me/enrolments/open/{offer.pk}/").status_code == 302
    assert not Enrolment.objects.filter(citizen=w.patient, status=Enrolment.Status.ACTIVE).exists()


def test_a_program_for_minors_says_how_guardians_take_part(enrolled):  # noqa: F811
    w = enrolled
    designer = User.objects.get(username="designer")
    draft = program_services.version_new_draft(actor=designer, program=w.version.program)
    draft = program_services.version_update(actor=designer, version=draft, min_age=13, max_age=17)
    problems = [p.message for p in version_problems(load_tree(draft))]
    assert any("guardians" in str(p) or "vårdnadshavare" in str(p) for p in problems)
    draft = program_services.version_update(
        actor=designer, version=draft, guardian_participation={"sv": "Vårdnadshavare läser med.", "en": "Read along."}
    )
    assert not [p for p in version_problems(load_tree(draft)) if "13" in str(p.message)]
    with pytest.raises(ValidationError):
        program_services.version_update(actor=designer, version=draft, min_age=20, max_age=17)


def test_the_age_range_travels_in_a_package(enrolled):  # noqa: F811
    w = enrolled
    designer = User.objects.get(username="designer")
    limit(w.version, 13, 17)
    ProgramVersion.objects.filter(pk=w.version.pk).update(guardian_participation={"sv": "Läser med", "en": "Reads"})
    w.version.refresh_from_db()
    version = import_package(actor=designer, region=w.region, data=export_package(w.version))
    assert (version.min_age, version.max_age) == (13, 17) and version.guardian_participation["sv"] == "Läser med"
