"""Every event's subscribers run in one order, reputation first: a vote takes the author's
points row before their member row, and so does the worker processing an event that both
gives points and notifies (the other order deadlocked against a vote)."""

from core import events


def test_reputation_runs_before_notifications_and_webhooks():
    names = [name for name, _handler in events.subscribers()]
    assert names.index("reputation") < names.index("notifications")
    assert names.index("reputation") < names.index("webhooks")


def test_the_order_does_not_depend_on_when_an_app_subscribed():
    calls = []
    events.subscribe("zz-late", lambda event: calls.append("late"), order=5)
    try:
        names = [name for name, _handler in events.subscribers()]
        assert names[0] == "zz-late"
        events.subscribe("zz-late", lambda event: calls.append("again"), order=5)
        assert [name for name, _h in events.subscribers()].count("zz-late") == 1
    finally:
        events._subscribers.pop("zz-late")
