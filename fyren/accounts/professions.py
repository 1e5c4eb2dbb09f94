"""The licensed professions of Swedish health care (legitimationsyrken, the
Patient Safety Act 4:1), as the national register of licensed health-care
personnel (HOSP) and HSA name them. Codes are HSA's two-letter codes for a
licensed profession (*legitimerad yrkesgrupp*); the names are in the page's
language. Pure: no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    AP = "AP", _("Pharmacist")
    AT = "AT", _("Occupational therapist")
    AU = "AU", _("Audiologist")
    BM = "BM", _("Midwife")
    BA = "BA", _("Biomedical scientist")
    DT = "DT", _("Dietitian")
    SG = "SG", _("Physiotherapist")
    KU = "KU", _("Health-care social worker")
    KP = "KP", _("Chiropractor")
    LO = "LO", _("Speech and language therapist")
    LK = "LK", _("Physician")
    NA = "NA", _("Naprapath")
    OP = "OP", _("Optician")
    OT = "OT", _("Prosthetist and orthotist")
    PS = "PS", _("Psychologist")
    PT = "PT", _("Psychotherapist")
    RC = "RC", _("Prescriptionist")
    RS = "RS", _("Radiographer")
    SJ = "SJ", _("Registered nurse")
    TH = "TH", _("Dental hygienist")
    TL = "TL", _("Dentist")


HSA_PROFESSION_SYSTEM = "urn:oid:1.2.752.129.2.2.1.4"  # HSA's code system for licensed professions
