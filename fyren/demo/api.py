"""Demo for the open interfaces: two registered clients and data to read.

- "Fyren-appen", a public app for citizens and staff (authorisation code with
  PKCE); its redirect address is the API's documentation page, so the login and
  approval can be walked in the browser.
- "Journalsystem Hamnen", Hamnen's record system: client credentials bound to
  the unit (client id ``hamnen-journal``, secret ``demo-hamnen-secret``) — it
  reads Hamnen's patients through ``/fhir/`` and asks for bulk exports.
- Omar answered his start GAD-7 the day he began (ten days ago), so the FHIR
  server has a QuestionnaireResponse and Observations at Hamnen.
- Hamnen's record system subscribes to completed questionnaires, urgent flags
  (raised and acknowledged) and journal notes at Hamnen; its endpoint is the small
  receiver ``make run`` starts (``manage.py receive_notifications``), which prints
  what it receives.
- The same record system launches Fyren (SMART EHR launch): its page
  http://127.0.0.1:8766/ (``manage.py demo_record_system``, started by ``make
  run``) lists Hamnen's patients with "Öppna i Fyren"; Fyren is registered there
  as the client ``fyren`` and signs in with its own key (``private_key_jwt``).
  It vouches for its signed-in clinician, Anna Lind, so she lands on the
  patient's program without Fyren's login (turn "trust its identity" off in the
  admin to see Fyren's own login come first).
"""

from __future__ import annotations

import datetime as dt

from oauth2_provider.models import Application

from fyren.api.models import LaunchingRecordSystem, Subscription, UnitClient
from fyren.care.models import Enrolment
from fyren.questionnaires.models import Response
from fyren.questionnaires.services import response_start, response_submit

JOURNAL_CLIENT_ID = "hamnen-journal"
JOURNAL_SECRET = "demo-hamnen-secret"  # noqa: S105 - the demo's published secret
RECEIVER = "http://127.0.0.1:8765/hamnen-journal"  # manage.py receive_notifications, started by make run
LAUNCHER = "http://127.0.0.1:8766/fhir"  # the record system's FHIR base (iss), manage.py demo_record_system
LAUNCH_CLIENT_ID = "fyren"
TOPICS = ("questionnaire-response-completed", "urgent-flag-raised", "urgent-flag-acknowledged", "journal-note-ready")


def load_api(people: dict) -> None:
    hamnen = people["units"][0]
    Application.objects.get_or_create(
        client_id="fyren-app",
        defaults={
            "name": "Fyren-appen",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "http://127.0.0.1:8000/api/v1/docs",
            "skip_authorization": False,
        },
    )
    journal, created = Application.objects.get_or_create(
        client_id=JOURNAL_CLIENT_ID,
        defaults={
            "name": "Journalsystem Hamnen",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "client_secret": JOURNAL_SECRET,
        },
    )
    UnitClient.objects.get_or_create(application=journal, defaults={"unit": hamnen})
    _omar_answers_at_start(people["citizens"]["omar"])
    for topic in TOPICS:
        Subscription.objects.get_or_create(
            application=journal,
            unit=hamnen,
            topic=topic,
            defaults={"endpoint": RECEIVER, "reason": "Hamnens journal", "heartbeat_period": 3600},
        )
    launcher, created = LaunchingRecordSystem.objects.get_or_create(
        issuer=LAUNCHER,
        defaults={
            "name": "Journalsystem Hamnen",
            "client_id": LAUNCH_CLIENT_ID,
            "client_auth": LaunchingRecordSystem.ClientAuth.PRIVATE_KEY_JWT,
            "trusted_identity": True,
        },
    )
    if created:
        launcher.units.set([hamnen])


def _omar_answers_at_start(omar) -> None:
    enrolment = Enrolment.objects.filter(citizen=omar).first()
    send = enrolment.sends.filter(instrument_code="gad7").order_by("due_on").first() if enrolment else None
    if send is None or Response.objects.filter(send=send).exists():
        return
    response = response_start(
        actor=omar.user, citizen=omar, instrument_code="gad7", language="en", enrolment=enrolment, send=send
    )
    answers = {"1": "2", "2": "1", "3": "2", "4": "1", "5": "1", "6": "2", "7": "1"}
    response = response_submit(actor=omar.user, client_token=response.client_token, raw=answers)
    Response.objects.filter(pk=response.pk).update(submitted_at=enrolment.started_at + dt.timedelta(hours=1))
