"""Fixed-care-contact flags: a unit taking part in a contract without a fixed
care contact, or whose fixed care contact is away, has a flag until it is
fixed. Synced when a contract changes and hourly by ``manage.py raise_flags``."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fyren.flags.models import Absence, Flag
from fyren.flags.services import flag_raise, flags_settle

from .models import FixedContact, Participant

SOURCE = "contract_contact"


def _problems(contracts) -> dict[str, tuple]:
    """source id → (contract, unit, message) for every unit missing a present fixed contact."""
    today = timezone.localdate()
    participants = Participant.objects.filter(status=Participant.Status.ACCEPTED).select_related(
        "unit", "contract__citizen"
    )
    contacts = FixedContact.objects.select_related("person")
    if contracts is not None:
        participants = participants.filter(contract__in=contracts)
        contacts = contacts.filter(contract__in=contracts)
    named = {(c.contract_id, c.unit_id): c for c in contacts}
    away = set(
        Absence.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today).values_list(
            "user_id", "unit_id"
        )
    )
    found = {}
    for p in participants:
        contact = named.get((p.contract_id, p.unit_id))
        if contact is None:
            key = f"{p.contract_id}:{p.unit_id}:none"
            message = {
                "sv": "Patientkontraktet saknar fast vårdkontakt vid enheten.",
                "en": "The patient contract has no fixed care contact at the unit.",
            }
        elif (contact.person_id, p.unit_id) in away:
            key = f"{p.contract_id}:{p.unit_id}:away:{contact.person_id}"
            name = contact.person.get_full_name()
            message = {
                "sv": f"Fasta vårdkontakten {name} är frånvarande; utse en annan eller ersättare.",
                "en": f"The fixed care contact {name} is away; name another one.",
            }
        else:
            continue
        found[key] = (p.contract, p.unit, message)
    return found


def fixed_contact_flags_sync(*, contracts=None, actor=None) -> int:
    """Raise a flag for each problem; settle the open ones whose problem is gone.
    ``contracts`` limits the work to those contracts. Returns how many were raised."""
    problems = _problems(contracts)
    made = 0
    for key, (contract, unit, message) in problems.items():
        flag = flag_raise(
            kind=Flag.Kind.FIXED_CONTACT,
            citizen=contract.citizen,
            unit=unit,
            message=message,
            source_type=SOURCE,
            source_id=key,
        )
        made += flag.was_created
    still_open = Flag.objects.filter(kind=Flag.Kind.FIXED_CONTACT, source_type=SOURCE, acknowledged_at__isnull=True)
    if contracts is not None:
        still_open = still_open.filter(citizen__in=[c.citizen_id for c in contracts])
    for source_id in still_open.exclude(source_id__in=list(problems)).values_list("source_id", flat=True):
        flags_settle(
            kind=Flag.Kind.FIXED_CONTACT,
            source_type=SOURCE,
            source_id=source_id,
            note=_("A fixed care contact who is present is named."),
            actor=actor,
        )
    return made


def fixed_contact_flags_raise() -> int:
    return fixed_contact_flags_sync()
