"""Two workers on one backlog (core.outbox.deliver_batch): a row the other worker holds is
skipped, never sent twice. Needs committed rows, so it lives with the other transactional
delivery tests (after the browser journeys, whose restored database a flush would disturb)."""

import psycopg
import pytest
from django.db import connection

from core import outbox
from notifications.models import EmailDelivery
from tests.core.test_outbox_batches import channel, rows  # noqa: F401 — the fixture and rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed rows: the other connection must see them
def test_a_row_another_worker_holds_is_left_to_it(channel):  # noqa: F811
    """Two workers on one backlog: the row the other one has claimed (locked, sending) is
    skipped, not sent twice, and the rest are sent."""
    held, free = rows(2)
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        host=params.get("host"),
        port=params.get("port"),
    ) as other:
        other.execute(
            f"SELECT id FROM {EmailDelivery._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608
            [held.pk],
        )
        assert outbox.deliver_batch("batch-test", limit=10) == {"sent": 1}
        other.rollback()
    assert [pk for pk, *_ in channel.sent] == [free.pk]
    assert EmailDelivery.objects.get(pk=held.pk).status == "pending"
