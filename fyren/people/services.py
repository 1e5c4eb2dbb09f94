"""Writes about citizens, their contact details and who may act for them."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fyren.accounts.models import User
from fyren.audit.services import audit_event_write

from .identity import InvalidIdentityNumber, parse_identity_number
from .models import Citizen, GuardianRelation, ProxyAuthorisation
from .selectors import citizen_of_user
from .validators import normalise_mobile


def citizen_create(
    *,
    actor,
    identity_number: str,
    given_name: str,
    family_name: str,
    email: str = "",
    mobile: str = "",
    preferred_language: str = Citizen.Language.SWEDISH,
    with_login: bool = True,
) -> Citizen:
    """Register a citizen from a personnummer or samordningsnummer (validated and
    normalised; birth date and legal sex derived)."""
    try:
        parsed = parse_identity_number(identity_number)
    except InvalidIdentityNumber as exc:
        raise ValidationError({"identity_number": str(exc)}) from None
    with transaction.atomic():
        if Citizen.objects.filter(identity_number=parsed.digits).exists():
            raise ValidationError({"identity_number": _("A citizen with this number is already registered.")})
        user = None
        if with_login:
            user = User.objects.create(
                username=User.new_citizen_username(),
                kind=User.Kind.CITIZEN,
                first_name=given_name,
                last_name=family_name,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        citizen = Citizen(
            identity_number=parsed.digits,
            identity_kind=parsed.kind,
            birth_date=parsed.birth_date,
            legal_sex=parsed.legal_sex,
            given_name=given_name,
            family_name=family_name,
            email=email,
            mobile=normalise_mobile(mobile) if mobile else "",
            preferred_language=preferred_language,
            user=user,
        )
        citizen.full_clean()
        citizen.save()
        audit_event_write(actor=actor, action="citizen.create", obj=citizen, data={"kind": parsed.kind})
    return citizen


def citizen_by_number_or_create(*, actor, identity_number: str, given_name: str = "", family_name: str = "") -> Citizen:
    """The registered citizen with this number, or a new registration (then the
    names are needed). Used where staff register a contact or a patient."""
    try:
        digits = parse_identity_number(identity_number).digits
    except InvalidIdentityNumber as exc:
        raise ValidationError({"identity_number": str(exc)}) from None
    found = Citizen.objects.filter(identity_number=digits).first()
    if found is not None:
        return found
    if not given_name.strip() or not family_name.strip():
        raise ValidationError(_("This citizen is not registered yet: give the given and family name."))
    return citizen_create(actor=actor, identity_number=digits, given_name=given_name, family_name=family_name)


def citizen_update_contact(
    *,
    actor,
    citizen: Citizen,
    email: str,
    mobile: str,
    preferred_language: str,
    notify_email: bool = False,
    notify_sms: bool = False,
) -> Citizen:
    """Change where notifications go and the preferred language. The citizen (or
    someone acting for them) does this; the change is audited."""
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
        fields = ["email", "mobile", "preferred_language", "notify_email", "notify_sms"]
        old = {name: getattr(citizen, name) for name in fields}
        citizen.email = email.strip()
        citizen.mobile = normalise_mobile(mobile) if mobile.strip() else ""
        citizen.preferred_language = preferred_language
        citizen.notify_email, citizen.notify_sms = (
            notify_email and bool(citizen.email),
            notify_sms and bool(citizen.mobile),
        )
        citizen.full_clean()
        citizen.save(update_fields=fields)
        new = {name: getattr(citizen, name) for name in fields}
        if old != new:
            audit_event_write(actor=actor, action="citizen.contact_change", obj=citizen, data={"old": old, "new": new})
    return citizen


def citizen_language_set(*, actor, citizen: Citizen, language: str) -> Citizen:
    """The page language the citizen chose in the menu; also the notices'. Not audited
    (a display preference, like the language cookie); an unknown language is refused."""
    if language not in Citizen.Language.values:
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    Citizen.objects.filter(pk=citizen.pk).update(preferred_language=language)
    citizen.preferred_language = language
    return citizen


def citizen_user_language_set(user, language: str) -> None:
    """Keep the page language a citizen user chose in the menu on their record."""
    citizen = citizen_of_user(user)
    if citizen is not None:
        citizen_language_set(actor=user, citizen=citizen, language=language)


def guardian_relation_create(
    *, actor, guardian: Citizen, child: Citizen, valid_from: dt.date, valid_to: dt.date | None = None
) -> GuardianRelation:
    with transaction.atomic():
        relation = GuardianRelation(guardian=guardian, child=child, valid_from=valid_from, valid_to=valid_to)
        relation.full_clean()
        relation.save()
        audit_event_write(
            actor=actor, action="guardian.create", obj=relation, data={"guardian": guardian.pk, "child": child.pk}
        )
    return relation


def proxy_authorisation_create(
    *, actor, proxy: Citizen, principal: Citizen, valid_from: dt.date, valid_to: dt.date, note: str = ""
) -> ProxyAuthorisation:
    with transaction.atomic():
        authorisation = ProxyAuthorisation(
            proxy=proxy, principal=principal, valid_from=valid_from, valid_to=valid_to, note=note
        )
        authorisation.full_clean()
        authorisation.save()
        audit_event_write(
            actor=actor, action="proxy.create", obj=authorisation, data={"proxy": proxy.pk, "principal": principal.pk}
        )
    return authorisation
