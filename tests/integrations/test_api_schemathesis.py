"""Property-based checks of the API against its own OpenAPI schema (schemathesis): for every
operation, generated requests — as the product team, with a token — never get a server error,
and every answer (status, content type, body) is one the schema declares."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ideas.models import Stage
from ideas.services import idea_move
from tests.factories import IdeaFactory
from tests.integrations.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """The site's real WSGI application, inside the test's transaction: like Django's test
    client, keep the request signals from closing the connection the test runs in."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def ideas(campaign):
    team = make_user("product_team")
    planned = IdeaFactory(campaign=campaign, category=campaign.categories.first())
    planned.tags.add("mobile")
    idea_move(idea=planned, to_stage=Stage.objects.get(slug="planned"), actor=team, note="Yes.")
    return [planned, IdeaFactory(campaign=campaign), IdeaFactory(campaign=campaign)]


def test_every_operation_answers_within_its_schema_and_never_with_a_server_error(ideas, wsgi_app):
    team = make_user("product_team")
    token, _created = Token.objects.get_or_create(user=team)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Token {token.key}"}
    failures, operations, calls = [], 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(
            case=operation.as_strategy(GenerationMode.POSITIVE)
            | operation.as_strategy(GenerationMode.NEGATIVE)
        )
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            calls.append(case.method)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {error}")
    assert operations >= 8 and len(calls) >= operations * 5
    assert not failures, "\n\n".join(failures)
