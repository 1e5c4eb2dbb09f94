"""The FHIR ServiceRequest resources an access may read."""

from __future__ import annotations

from fyren.episodes.selectors import care_requests_for_reader
from fyren.interop.fhir.careplans import REQUEST_STATUS, service_request

from .base import Provider
from .params import Found, date_q, ids, ref
from .scope import patient_param, status_param


class ServiceRequestProvider(Provider):
    """Care requests between units: both the sending and the receiving unit see them."""

    type = "ServiceRequest"
    sorts = {"authored": "sent_at"}
    params = ("_id", "patient", "subject", "status", "authored", "_lastUpdated")
    last_updated = "changed_at"
    includes = {"ServiceRequest:patient": "subject", "ServiceRequest:subject": "subject"}

    def rows(self, access, params):
        units = None if access.context == "patient" else access.units
        qs = patient_param(care_requests_for_reader(citizen=access.citizen, units=units), params).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        qs = status_param(qs, params, REQUEST_STATUS)
        if "authored" in params:
            qs = qs.filter(date_q("sent_at", params["authored"]))
        return qs

    def expand(self, request, access):
        resource = service_request(request, patient_ref=ref("patient", request.citizen_id))
        return [Found(str(request.pk), {"id": str(request.pk), **resource}, request.citizen_id)]
