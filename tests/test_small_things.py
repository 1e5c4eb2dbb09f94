"""Small things a user notices: names in the right grammatical form, link
names that tell places apart, no "(optional)" on a field the form needs in
one form or another, the citizen's shortcuts, help that names the suicide line."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import force_login_staff, login_citizen
from fyren.lib.grammar import possessive
from fyren.lib.http import select_options, url_for_ids
from fyren.people.models import GuardianRelation
from fyren.questionnaires.tests.conftest import enrolled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("Gunnar", "sv", "Gunnars"),
        ("Gunnar Blom", "sv", "Gunnar Bloms"),
        ("Lars", "sv", "Lars"),
        ("Max", "sv", "Max"),
        ("Inez", "sv", "Inez"),
        ("Gunnar", "en", "Gunnar's"),
        ("", "sv", ""),
    ],
)
def test_the_genitive_of_a_name_follows_the_language(name, lang, expected):
    assert possessive(name, lang) == expected


def test_a_guardian_reads_whose_data_in_proper_swedish(client, world, make):
    child = make.citizen(given="Elsa", family="Andersson", birth=dt.date.today() - dt.timedelta(days=3650))
    GuardianRelation.objects.create(guardian=world.patient, child=child, valid_from=child.birth_date)
    login_citizen(client, world.patient)
    assert "vem har läst Elsas uppgifter" in client.get("/me/").content.decode()
    assert "Vem har läst Elsa Anderssons uppgifter" in client.get(f"/me/{child.pk}/access-log/").content.decode()


def test_the_citizens_header_reaches_programs_and_messages(client, world):
    login_citizen(client, world.patient)
    page = client.get("/me/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert 'href="/me/enrolments/"' in header and 'href="/me/messages/"' in header
    force_login_staff(client, world.clinician)
    page = client.get("/account/start/").content.decode()
    assert 'href="/me/messages/"' not in page[page.index("<header") : page.index("</header>")]


def test_the_message_box_is_not_called_optional(client, enrolled):  # noqa: F811
    login_citizen(client, enrolled.patient)
    page = client.get(f"/me/messages/enrolment/{enrolled.enrolment.pk}/", follow=True).content.decode()
    label = page[page.index('<label for="id_body"') :]
    label = label[: label.index("</label>")]
    assert "valfritt" not in label
    assert "Skriv ett meddelande, bifoga en fil eller både och." in page


def test_the_safety_guidance_names_the_suicide_line():
    from django.template.loader import render_to_string

    with translation.override("sv"):
        for template in ("questionnaires/_safety.html", "messaging/_urgent_guidance.html"):
            html = render_to_string(template)
            assert "Självmordslinjen" in html and 'href="tel:90101"' in html and "112" in html and "1177" in html


def test_the_enrolment_page_has_in_page_navigation(client, enrolled):  # noqa: F811
    force_login_staff(client, enrolled.clinician)
    page = client.get(f"/clinic/{enrolled.unit.pk}/enrolments/{enrolled.enrolment.pk}/").content.decode()
    assert 'aria-label="På den här sidan"' in page
    for anchor in ("#scores-heading", "#modules-heading", "#timeline-heading", "#manage-heading"):
        assert f'href="{anchor}"' in page and f'id="{anchor[1:]}"' in page


def test_the_citizens_messages_page_offers_the_care_team_of_a_running_program(client, enrolled):  # noqa: F811
    login_citizen(client, enrolled.patient)
    page = client.get("/me/messages/").content.decode()
    assert f'href="/me/messages/enrolment/{enrolled.enrolment.pk}/"' in page and "skriv till ditt vårdteam" in page


def test_url_for_ids_gives_what_reverse_gives():
    make_url = url_for_ids("clinic:enrolment", 7)
    for pk in (1, 42, 987654321, 10**15):
        assert make_url(pk) == reverse("clinic:enrolment", args=[7, pk])
    assert url_for_ids("clinic:enrolment_thread", 3)(5) == reverse("clinic:enrolment_thread", args=[3, 5])


def test_select_options_escape_and_mark_the_chosen_one():
    html = select_options([("", "Vem som helst"), ("7", "Ann <b>& Bo"), ("12", "Cecilia")], selected=7)
    assert html == (
        '<option value="">Vem som helst</option>'
        '<option value="7" selected>Ann &lt;b&gt;&amp; Bo</option>'
        '<option value="12">Cecilia</option>'
    )
    assert 'value="" selected' in select_options([("", "x"), ("1", "y")])


def test_every_page_has_an_icon_and_favicon_ico_finds_it(client, world):
    login_citizen(client, world.patient)
    page = client.get("/me/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("favicon.svg")


def test_no_form_field_label_says_optional_itself():
    """The form template adds "(optional)" to a field that is not required; a
    label that says so too reads "(frivilligt) (frivilligt)"."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1] / "fyren"
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.glob("*/forms.py")
        for m in re.finditer(r'label=(?:lang_label\()?_\("[^"]*\(optional\)"\)', path.read_text())
    ]
    assert not found


def test_the_rebooking_form_says_optional_once(client, world):
    from django.template.loader import render_to_string

    from fyren.booking.forms import RebookForm

    with translation.override("sv"):
        html = render_to_string("includes/form.html", {"form": RebookForm(slots=[])})
    assert html.count("frivilligt") == 1


def test_no_select_starts_on_dashes():
    """A model choice's empty option says what it means (Django's default is "---------"):
    every ModelChoiceField names its empty_label (LabelledModelChoiceField has one)."""
    import pathlib
    import re

    def call_at(text: str, start: int) -> str:
        depth = 0
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                return text[start : end + 1]
        return text[start:]

    root = pathlib.Path(__file__).resolve().parents[1] / "fyren"
    found = []
    for path in root.glob("**/*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        for m in re.finditer(r"(?<!Labelled)ModelChoiceField\(", text):
            call = call_at(text, m.end() - 1)
            name = text[text.rfind("\n", 0, m.start()) : m.start()].split("=")[0].strip()
            if "empty_label" not in call and f'fields["{name}"]).empty_label' not in text:
                found.append(f"{path.relative_to(root)}: {name}")
    assert not found
    from fyren.accounts.models import User
    from fyren.booking.forms import ScheduleForm, TemplateForm
    from fyren.booking.models import Schedule
    from fyren.programs.models import Program

    with translation.override("en"):
        html = str(ScheduleForm(clinicians=User.objects.none()))
        html += str(TemplateForm(schedules=Schedule.objects.none(), programs=Program.objects.none()))
    assert "---------" not in html and "No one (a title&#x27;s or a room&#x27;s times)" in html and "No program" in html
