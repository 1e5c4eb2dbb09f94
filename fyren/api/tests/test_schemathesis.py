"""Property-based tests of the REST API from its own OpenAPI document
(schemathesis): generated requests to every operation, as a citizen and as a
clinician, never give a server error, and every response matches the schema the
document declares (status code, content type, body). Run in process against the
WSGI application, on both databases."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from oauth2_provider.models import Application

# A request the schema allows may still be refused by a rule of the service (a
# cancellation without a reason, a time no longer free): that is a 422 with the
# one error shape, by design. Every other built-in check runs.
from schemathesis.specs.openapi.checks import positive_data_acceptance

from fyren.api.endpoints import api

from .test_api_citizen import api_world  # noqa: F401 - fixture
from .test_fhir import token

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CHECKS_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" database connections when a request ends,
    which would close the test's transaction on PostgreSQL; Django's own test
    client turns that off the same way while it serves a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(api_world):  # noqa: F811
    app = Application.objects.create(
        name="Schemathesis", client_type="public", authorization_grant_type="authorization-code"
    )
    return {
        "citizen": token(app, api_world.patient.user, "patient/*.rs patient/AuditEvent.rs"),
        "clinician": token(app, api_world.clinician, "user/*.rs user/Flag.rs"),
    }


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@CHECKS_SETTINGS
def test_no_server_error_and_every_response_matches_the_schema(case, bearers, settings):  # noqa: F811
    settings.FYREN_API_RATE = "100000/min"
    for who in ("citizen", "clinician"):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {bearers[who]}"}, excluded_checks=[positive_data_acceptance]
        )
