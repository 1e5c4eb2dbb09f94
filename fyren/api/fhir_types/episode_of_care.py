"""The FHIR EpisodeOfCare resources an access may read."""

from __future__ import annotations

from fyren.episodes.selectors import episodes_for_reader
from fyren.interop.fhir.careplans import EPISODE_STATUS, episode_entries

from .base import Provider, found
from .params import date_q, ids, ref
from .scope import patient_param, reader, status_param


class EpisodeOfCareProvider(Provider):
    type = "EpisodeOfCare"
    sorts = {"date": "opened_at"}
    params = ("_id", "patient", "status", "date", "_lastUpdated")
    last_updated = "changed_at"
    includes = {"EpisodeOfCare:patient": "patient"}

    def rows(self, access, params):
        qs = patient_param(episodes_for_reader(*reader(access)), params).order_by("pk")
        if "_id" in params:
            qs = qs.filter(pk__in=ids(params["_id"]))
        qs = status_param(qs, params, EPISODE_STATUS)
        if "date" in params:
            qs = qs.filter(date_q("opened_at", params["date"]))
        return qs

    def expand(self, episode, access):
        entries = episode_entries(episode, ref=ref, patient_ref=ref("patient", episode.citizen_id))
        return found(entries, self.type, episode.citizen_id)
