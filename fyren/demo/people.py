"""Demo organisations and people: two regions, their care units (one closed),
staff in every role, and citizens (a guardian with a child, a proxy, a
samordningsnummer). Rows are made directly (decisions.md #11)."""

import datetime as dt

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fyren.accounts.models import Licence, RoleAssignment, User
from fyren.accounts.roles import Role
from fyren.organisations.models import CareUnit, Region
from fyren.people.models import Citizen, GuardianRelation, ProxyAuthorisation
from fyren.people.services import guardian_relation_create, proxy_authorisation_create

from .identities import DEMO_PASSWORD, demo_totp_key, hsa_id, org_number, personnummer

REGIONS = [
    # name, organisation number, county code (the region's row in the national follow-up)
    ("Region Fyrland", "232100001", "03"),
    ("Region Skärlanda", "232100002", "09"),
]

UNITS = [
    # name, region index, suffix, provider, valid_to offset (days, None = open)
    ("Psykiatrimottagning Hamnen", 0, "1001", CareUnit.Provider.PUBLIC, None),
    ("Vårdcentralen Fyrbacken", 0, "1002", CareUnit.Provider.PRIVATE, None),
    ("Vårdcentralen Gamla Tullen (stängd)", 0, "1003", CareUnit.Provider.PUBLIC, -30),
    ("Internetpsykiatri Skärlanda", 1, "2001", CareUnit.Provider.PUBLIC, None),
]

STAFF = [
    # username, given, family, title, hsa suffix, [(role, unit index or region index)]
    ("anna.lind", "Anna", "Lind", "Psykolog", "P1001", [(Role.CLINICIAN, 0), (Role.CLINICIAN, 2)]),
    ("johan.ek", "Johan", "Ek", "Sjuksköterska", "P1002", [(Role.CLINICIAN, 0), (Role.ENROLMENT_ADMIN, 0)]),
    (
        "erik.berg",
        "Erik",
        "Berg",
        "Enhetschef",
        "P1003",
        [(Role.ACCESS_ADMIN, 0), (Role.ACCESS_ADMIN, 1), (Role.UNIT_MANAGER, 0)],
    ),
    ("lena.holm", "Lena", "Holm", "Loggranskare", "P1004", [(Role.LOG_REVIEWER, 0)]),
    ("maria.sund", "Maria", "Sund", "Verksamhetsutvecklare", "P1005", [("region", 0)]),
    ("david.noor", "David", "Noor", "Psykolog", "P1006", [(Role.DESIGNER, 0)]),
    ("sofia.wik", "Sofia", "Wik", "Utgivare", "P1007", [(Role.PUBLISHER, 0)]),
    ("ali.haddad", "Ali", "Haddad", "Statistiker", "P1008", [(Role.ANALYST, 0)]),
    ("eva.falk", "Eva", "Falk", "Distriktssköterska", "P1009", [(Role.CLINICIAN, 1), (Role.ENROLMENT_ADMIN, 1)]),
    ("oskar.vik", "Oskar", "Vik", "Behandlare (KBT)", "P1011", [(Role.CLINICIAN, 1)]),
    ("petra.strom", "Petra", "Ström", "Kurator", "P2001", [(Role.CLINICIAN, 3)]),
    ("nils.lund", "Nils", "Lund", "Verksamhetschef", "P2002", [("region", 1)]),
    ("greta.nord", "Greta", "Nord", "Statistiker, nationell uppföljning", "P1010", [("national", 0)]),
    ("lena.berg", "Lena", "Berg", "Dataförvaltare, forskning", "P2003", [("data", 1)]),
]

# Licences to practise (legitimation) as the national register shows them: profession (HSA
# code), licence number, issued. Oskar Vik, a KBT therapist without a licence, has none.
LICENCES = {
    "anna.lind": [("PS", "512345", dt.date(2012, 8, 15)), ("PT", "512346", dt.date(2019, 3, 1))],
    "johan.ek": [("SJ", "498765", dt.date(2009, 6, 1))],
    "david.noor": [("PS", "601234", dt.date(2015, 9, 10))],
    "eva.falk": [("SJ", "405678", dt.date(2005, 1, 20))],
    "petra.strom": [("KU", "710234", dt.date(2021, 4, 12))],
}

CITIZENS = [
    # key, given, family, birth, serial, coordination, email, mobile, language
    ("sara", "Sara", "Nilsson", dt.date(1990, 3, 14), "238", False, "sara@example.org", "+46701234567", "sv"),
    ("karin", "Karin", "Andersson", dt.date(1984, 11, 2), "246", False, "karin@example.org", "", "sv"),
    ("elsa", "Elsa", "Andersson", None, "262", False, "", "", "sv"),  # ten years old, born relative to today
    ("omar", "Omar", "Rahimi", dt.date(1978, 6, 21), "275", True, "omar@example.org", "", "en"),
    ("gunnar", "Gunnar", "Blom", dt.date(1926, 5, 5), "213", False, "", "", "sv"),
    ("britt", "Britt", "Blom", dt.date(1955, 8, 30), "282", False, "britt@example.org", "", "sv"),
    # Reads Arabic (#19): her pages and the sleep program in Arabic.
    ("amira", "Amira", "Yousef", dt.date(1992, 8, 9), "284", False, "amira@example.org", "+46731112233", "ar"),
]


def load_people() -> dict:
    """Regions, units, staff with their roles and TOTP devices, citizens, a guardian and a proxy."""
    today = timezone.localdate()
    regions = []
    for name, nine, county in REGIONS:
        region, _ = Region.objects.get_or_create(
            organisation_number=org_number(nine), defaults={"name": name, "county_code": county}
        )
        regions.append(region)
    units = []
    for name, region_index, suffix, provider, valid_to in UNITS:
        region = regions[region_index]
        unit, _ = CareUnit.objects.get_or_create(
            hsa_id=hsa_id(region.organisation_number, suffix),
            defaults={
                "name": name,
                "region": region,
                "provider_type": provider,
                "valid_from": dt.date(2020, 1, 1),
                "valid_to": today + dt.timedelta(days=valid_to) if valid_to is not None else None,
            },
        )
        units.append(unit)
    created_staff = 0
    for username, given, family, title, suffix, roles in STAFF:
        region = regions[0] if suffix.startswith("P1") else regions[1]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "title": title,
                "kind": User.Kind.STAFF,
                "hsa_id": hsa_id(region.organisation_number, suffix),
            },
        )
        if created:
            created_staff += 1
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            TOTPDevice.objects.create(user=user, name="Demo", key=demo_totp_key(username), confirmed=True)
            for profession, number, issued in LICENCES.get(username, []):
                Licence.objects.create(user=user, profession=profession, number=number, issued_on=issued)
        for role, index in roles:
            if role in ("region", "national", "data"):
                region_role = {"region": Role.CARE_PROVIDER_ADMIN, "national": Role.NATIONAL_ANALYST}
                RoleAssignment.objects.get_or_create(
                    user=user,
                    role=region_role.get(role, Role.DATA_ADMIN),
                    region=regions[index],
                    removed_at=None,
                )
            else:
                RoleAssignment.objects.get_or_create(user=user, role=role, unit=units[index], removed_at=None)
    citizens = {}
    for key, given, family, birth, serial, coordination, email, mobile, language in CITIZENS:
        if birth is None:
            birth = today.replace(year=today.year - 10, day=min(today.day, 28)) - dt.timedelta(days=40)
        number = personnummer(birth, serial, coordination)
        citizen = Citizen.objects.filter(identity_number=number).first()
        if citizen is None:
            user = User.objects.create(
                username=f"demo-{key}", first_name=given, last_name=family, kind=User.Kind.CITIZEN
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            citizen = Citizen.objects.create(
                identity_number=number,
                identity_kind=Citizen.Kind.COORDINATION if coordination else Citizen.Kind.PERSONAL,
                birth_date=birth,
                legal_sex="F" if int(serial[2]) % 2 == 0 else "M",
                given_name=given,
                family_name=family,
                email=email,
                mobile=mobile,
                preferred_language=language,
                user=user,
            )
        citizens[key] = citizen
    if not GuardianRelation.objects.filter(guardian=citizens["karin"], child=citizens["elsa"]).exists():
        guardian_relation_create(
            actor=None, guardian=citizens["karin"], child=citizens["elsa"], valid_from=citizens["elsa"].birth_date
        )
    if not ProxyAuthorisation.objects.filter(proxy=citizens["britt"], principal=citizens["gunnar"]).exists():
        proxy_authorisation_create(
            actor=None,
            proxy=citizens["britt"],
            principal=citizens["gunnar"],
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=335),
            note="Fullmakt för vårdärenden",
        )
    return {"regions": regions, "units": units, "citizens": citizens, "staff_created": created_staff}
