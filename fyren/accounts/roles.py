from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles. All are held at one care unit, except the care-provider admin,
    the national analyst and the data administrator (who approves research
    projects and delivers their exports), held for a whole region (care provider)."""

    CLINICIAN = "clinician", _("Clinician")
    ENROLMENT_ADMIN = "enrolment_admin", _("Enrolment admin")
    ACCESS_ADMIN = "access_admin", _("Access admin")
    CARE_PROVIDER_ADMIN = "care_provider_admin", _("Care-provider admin")
    DESIGNER = "designer", _("Designer")
    PUBLISHER = "publisher", _("Publisher")
    ANALYST = "analyst", _("Analyst")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    LOG_REVIEWER = "log_reviewer", _("Log reviewer")
    DATA_ADMIN = "data_admin", _("Data administrator (research)")
    UNIT_MANAGER = "unit_manager", _("Unit manager (the unit's results)")


# Held for a region, not a unit. A national analyst's region says who appointed
# them; they see every region's aggregates (never records).
REGION_ROLES = {Role.CARE_PROVIDER_ADMIN, Role.NATIONAL_ANALYST, Role.DATA_ADMIN}
UNIT_ROLES = [role for role in Role if role not in REGION_ROLES]
