"""The demo's record system, Journalsystem Hamnen, as ``make run`` starts it:

- it receives Fyren's subscription notifications at http://127.0.0.1:8765/ and
  prints one line per notification and event (as ``receive_notifications``);
- it launches Fyren (SMART EHR launch): its page http://127.0.0.1:8766/ lists
  Hamnen's patients with "Öppna i Fyren"; its authorisation server knows Fyren as
  the client ``fyren`` (``private_key_jwt``, Fyren's JWK Set read from Fyren) and
  vouches for its signed-in clinician, Anna Lind.

Its patients and clinician are read from the demo database once, at start: a
record system has its own copy of who its patients are."""

import contextlib
import threading

from django.core.management.base import BaseCommand

from fyren.accounts.models import User
from fyren.api import ehr_launch
from fyren.api.ehr_standin import StandInEHR, encounter, organization, patient, practitioner
from fyren.api.hook_receiver import HookReceiver
from fyren.api.management.commands.receive_notifications import printer
from fyren.care.models import CareRelation
from fyren.demo.api import LAUNCH_CLIENT_ID
from fyren.organisations.models import CareUnit

DEMO_UNIT = "Hamnen"
DEMO_CLINICIAN = "anna.lind"


class Command(BaseCommand):
    help = "Run the demo's record system: receive notifications and launch Fyren (SMART EHR launch)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765, help="where notifications are received")
        parser.add_argument("--ehr-port", type=int, default=8766, help="the record system's page and SMART server")
        parser.add_argument("--name", default="Journalsystem Hamnen")

    def handle(self, *args, port: int, ehr_port: int, name: str, **options):
        receiver = HookReceiver(printer(self.stdout.write, name), port=port)
        ehr = self.record_system(name, ehr_port)
        self.stdout.write(f"[{name}] listening at http://127.0.0.1:{port}/ for Fyren's notifications")
        self.stdout.write(f"[{name}] its patients, with 'Öppna i Fyren': {ehr.base}/")
        threading.Thread(target=ehr.server.serve_forever, daemon=True).start()
        with contextlib.suppress(KeyboardInterrupt):
            receiver.server.serve_forever()

    def record_system(self, name: str, port: int) -> StandInEHR:
        ehr = StandInEHR(
            client_id=LAUNCH_CLIENT_ID,
            redirect_uri=ehr_launch.redirect_uri(),
            launch_uri=ehr_launch.launch_uri(),
            client_jwks_url=ehr_launch.jwks_uri(),
            port=port,
            name=name,
        )
        unit = CareUnit.objects.filter(name__icontains=DEMO_UNIT).order_by("pk").first()
        if unit is None:
            self.stdout.write(f"[{name}] no demo unit {DEMO_UNIT}: load the demo data first")
            return ehr
        ehr.add(organization("hamnen", unit.name, unit.hsa_id))
        clinician = User.objects.filter(username=DEMO_CLINICIAN).first()
        if clinician is not None and clinician.hsa_id:
            ehr.add(practitioner("anna", clinician.get_full_name(), clinician.hsa_id))
            ehr.signed_in = "anna"
        relations = (
            CareRelation.objects.active().filter(unit=unit).select_related("citizen").order_by("citizen__family_name")
        )
        for number, relation in enumerate(relations, start=1):
            citizen = relation.citizen
            ehr.add(patient(f"pat{number}", citizen.given_name, citizen.family_name, citizen.formatted_identity_number))
            ehr.add(encounter(f"besok{number}", f"pat{number}", "hamnen"))
        return ehr
