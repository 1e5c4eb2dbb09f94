"""What the FHIR server serves: one provider per resource type. A provider says
which rows an access may see (a citizen their own; a clinician or a record
system the patients in care at their units, and only what those units hold),
applies the search parameters it supports, and turns each row into the same
resources as the journal export bundle, built by the same mapping functions
(``fyren.interop.fhir``) with references of the form ``Type/id``.

The server (``fhir.py``) pages, includes, and writes the access log for every
patient whose data it returns. One module per resource type; ``params`` (search
parameter values), ``scope`` (who may see what) and ``base`` are shared."""

from .appointment import AppointmentProvider
from .base import Provider
from .careplan import CarePlanProvider, CareTeamProvider, GoalProvider
from .communication import CommunicationProvider
from .document_reference import DocumentReferenceProvider
from .episode_of_care import EpisodeOfCareProvider
from .flag import FlagProvider
from .group import GroupProvider
from .observation import ObservationProvider
from .organization import OrganizationProvider
from .patient import PatientProvider
from .practitioner import PractitionerProvider
from .questionnaire import QuestionnaireProvider
from .questionnaire_response import QuestionnaireResponseProvider
from .schedule import ScheduleProvider
from .service_request import ServiceRequestProvider
from .slot import SlotProvider

PROVIDERS: dict[str, Provider] = {
    p.type: p
    for p in (
        PatientProvider(),
        PractitionerProvider(),
        OrganizationProvider(),
        QuestionnaireProvider(),
        QuestionnaireResponseProvider(),
        ObservationProvider(),
        CarePlanProvider(),
        GoalProvider(),
        CareTeamProvider(),
        EpisodeOfCareProvider(),
        ServiceRequestProvider(),
        ScheduleProvider(),
        SlotProvider(),
        AppointmentProvider(),
        CommunicationProvider(),
        DocumentReferenceProvider(),
        FlagProvider(),
        GroupProvider(),
    )
}
