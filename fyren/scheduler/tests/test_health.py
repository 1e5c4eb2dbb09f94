"""/health/ and /ready/: no login, no data; 503 when the worker or the scheduler
has gone quiet; JSON log lines on request."""

import datetime as dt
import json
import logging

import pytest
from django.utils import timezone

from fyren.lib.logs import JsonFormatter
from fyren.scheduler.models import Heartbeat
from fyren.scheduler.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers_and_both_heartbeats_are_recent(client):
    worker_heartbeat.enqueue()  # tests run tasks at once, like a live worker would
    Heartbeat.beat("scheduler")
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["database"] == "ok" and body["worker"]["ok"] and body["scheduler"]["ok"]
    assert "Set-Cookie" not in response.headers or "sessionid" not in response.headers["Set-Cookie"]


def test_health_is_503_when_the_worker_has_gone_quiet(client, settings):
    Heartbeat.objects.create(name="worker", at=timezone.now() - dt.timedelta(hours=1))
    Heartbeat.beat("scheduler")
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["worker"]["ok"] is False
    Heartbeat.objects.all().delete()
    assert client.get("/health/").status_code == 503


def test_ready_when_the_database_answers_and_nothing_is_left_to_migrate(client):
    assert client.get("/ready/").json() == {"ready": True}


def test_log_lines_are_json_objects_with_the_request_id():
    from fyren.lib.request_context import reset_request_id, set_request_id

    token = set_request_id("abc12345")
    try:
        record = logging.LogRecord("fyren.x", logging.WARNING, __file__, 1, "hej %s", ("då",), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        reset_request_id(token)
    assert line["message"] == "hej då" and line["level"] == "WARNING" and line["request_id"] == "abc12345"
