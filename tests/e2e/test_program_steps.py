"""Every step of both demo programs (the worry program, the sleep school), in
each of their languages, as the citizen sees it: axe-core finds nothing
(heading order among it) and nothing scrolls sideways at 320 px."""

from django.utils import timezone

from fyren.care.models import Enrolment, ModuleProgress
from fyren.people.models import Citizen
from fyren.programs.models import Module, Step
from tests.e2e.demo import demo_login, logout

FOLLOWERS = {"Oro – KBT via internet": "Sara", "Sömnskolan": "Gunnar"}


def test_every_step_of_the_demo_programs_in_every_language(demo_live, checked):
    page, live = checked.page, demo_live
    seen = 0
    for title, given in FOLLOWERS.items():
        citizen = Citizen.objects.get(given_name=given, user__isnull=False)
        enrolment = (
            Enrolment.objects.filter(citizen=citizen, program_version__title__sv__startswith=title)
            .select_related("program_version")
            .get()
        )
        version = enrolment.program_version
        for module in Module.objects.filter(version=version):  # every module open, as a clinician may
            ModuleProgress.objects.update_or_create(
                enrolment=enrolment,
                module_key=module.key,
                defaults={"opened_by_clinician": True, "opened_at": timezone.now()},
            )
        demo_login(page, live, citizen.full_name)
        for lang in version.languages:
            Enrolment.objects.filter(pk=enrolment.pk).update(language=lang)
            for step in Step.objects.filter(version=version).order_by("section__module__position", "position"):
                answer = page.goto(f"{live}/me/enrolments/{enrolment.pk}/steps/{step.key}/")
                assert answer.status == 200, (title, lang, step.key)
                if page.locator("main h1").count():
                    checked.check(f"{title} ({lang}): {step.title.get('sv')}")
                    seen += 1
        logout(page)
    assert seen >= 10
