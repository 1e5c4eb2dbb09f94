"""Demo patient contract: Sara's plan across Hamnen (psychiatry, her internet-CBT
program) and Fyrbacken (primary care), with fixed care contacts, goals in her
own words, activities, the program's plan and a SIP with the municipality's
home care. Made through the services, as the units would."""

import datetime as dt

from django.utils import timezone

from fyren.accounts.models import User
from fyren.care.models import Enrolment
from fyren.careplans import services
from fyren.careplans.models import Contract, FixedContactRoutine


def load_careplans(people: dict) -> int:
    units, sara = people["units"], people["citizens"]["sara"]
    hamnen, fyrbacken = units[0], units[1]
    if Contract.objects.filter(citizen=sara).exists():
        return 0
    anna, eva = User.objects.get(username="anna.lind"), User.objects.get(username="eva.falk")
    today = timezone.localdate()
    FixedContactRoutine.objects.get_or_create(
        unit=hamnen,
        defaults={
            "text": "Den behandlare som gör bedömningen blir fast vårdkontakt. Vid frånvaro över en vecka "
            "utser enhetschefen en ersättare samma dag och patienten får veta det i Fyren.",
            "reviewed_on": today - dt.timedelta(days=60),
        },
    )
    FixedContactRoutine.objects.get_or_create(
        unit=fyrbacken,
        defaults={
            "text": "Patienter med patientkontrakt får en namngiven distriktssköterska som fast vårdkontakt vid "
            "första besöket. Telefontid vardagar 8–9.",
            "reviewed_on": today - dt.timedelta(days=20),
        },
    )
    contract = services.contract_start(actor=anna, unit=hamnen, citizen=sara)
    services.fixed_contact_set(
        actor=anna,
        contract=contract,
        unit=hamnen,
        person=anna,
        how_to_reach="Meddelande i Fyren, eller 010-123 45 00 vardagar 8–16",
    )
    participant = services.contract_invite(
        actor=anna,
        contract=contract,
        unit=hamnen,
        invited_unit=fyrbacken,
        note="Sara har högt blodtryck och sover dåligt; vi vill samordna uppföljningen.",
    )
    services.invitation_answer(actor=eva, participant=participant, accept=True)
    services.fixed_contact_set(
        actor=eva, contract=contract, unit=fyrbacken, person=eva, how_to_reach="Telefontid vardagar 8–9: 010-123 46 00"
    )
    enrolment = Enrolment.objects.filter(citizen=sara, unit=hamnen).first()
    services.plan_save(
        actor=anna,
        contract=contract,
        unit=hamnen,
        kind="program",
        title="Oro – KBT via internet",
        enrolment=enrolment,
        self_care="Gör veckans övningar, gärna samma tid varje dag.",
    )
    worry = services.goal_save(
        actor=anna,
        contract=contract,
        unit=hamnen,
        text="Jag vill oroa mig mindre och kunna slappna av på kvällarna",
        instrument_code="gad7",
        comparison="at_most",
        target_value=9,
    )
    sleep = services.goal_save(
        actor=eva,
        contract=contract,
        unit=fyrbacken,
        text="Sova hela nätter och orka jobba heltid igen",
    )
    services.activity_save(
        actor=anna,
        contract=contract,
        unit=hamnen,
        what="Internet-KBT: en modul i veckan",
        how="digital",
        who_person=anna,
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=56),
        recurrence="Återkoppling varje vecka",
        goal=worry,
        enrolment=enrolment,
    )
    services.activity_save(
        actor=eva,
        contract=contract,
        unit=fyrbacken,
        what="Blodtryck och sömn följs upp",
        how="phone",
        who_person=eva,
        starts_on=today + dt.timedelta(days=9),
        goal=sleep,
    )
    services.activity_save(
        actor=eva,
        contract=contract,
        unit=fyrbacken,
        what="Promenad 30 minuter om dagen",
        how="self_care",
        who_role="Sara själv",
        recurrence="Varje dag",
        goal=sleep,
    )
    # Sara read and agreed to the plan as it then stood; the SIP came after.
    contract.refresh_from_db()
    services.contract_seen(actor=sara.user, contract=contract)
    services.contract_agree(actor=sara.user, contract=contract, number=contract.revision)
    sip = services.plan_save(
        actor=eva,
        contract=contract,
        unit=fyrbacken,
        kind="sip",
        title="SIP med hemtjänsten",
        meeting_on=today - dt.timedelta(days=5),
        coordinator="Lisa Ek, biståndshandläggare, Fyrlands kommun",
        decisions="Hemtjänsten hjälper Saras mamma, som Sara vårdar, två gånger om dagen så att Sara kan "
        "sova ostört. Vårdcentralen följer upp sömnen. Ny SIP-träff om tre månader.",
    )
    for name, role, organisation in (
        ("Lisa Ek", "Biståndshandläggare (samordnare)", "Fyrlands kommun"),
        ("Hemtjänsten Norr", "Hemtjänst", "Fyrlands kommun"),
        ("Per Nilsson", "Anhörig (bror)", ""),
    ):
        services.plan_member_add(actor=eva, plan=sip, name=name, role=role, organisation=organisation)
    return 1
