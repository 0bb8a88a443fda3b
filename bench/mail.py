"""Notification e-mails per second that one worker hands to a local SMTP sink: a stage move heard
by N followers, sent by the outbox in batches over one SMTP connection (`deliver_batch`, what a
worker does with a backlog), against one delivery per task with a connection each (`deliver`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench python -m bench.mail --emails 2000

`make bench` prints the same row after the page figures.
"""

import argparse
import os
import socketserver
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocrea_bench")


class SMTPSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept and count messages (one thread per connection)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.received = 0
        self.connections = 0
        self.lock = threading.Lock()

    @property
    def port(self):
        return self.server_address[1]


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        with self.server.lock:
            self.server.connections += 1
        self.reply("220 bench sink")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                self.wfile.write(b"250-bench\r\n250 8BITMIME\r\n")
            elif command == b"DATA":
                self.reply("354 go ahead")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                with self.server.lock:
                    self.server.received += 1
                self.reply("250 queued")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


def _fan_out(idea, team, followers, note):
    """A stage answer heard by `followers`; its event processed in this process. Returns the
    pks of the e-mail deliveries it made."""
    from ideas.services import idea_move
    from ideas.tasks import process_event
    from notifications.models import EmailDelivery

    before = EmailDelivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    change = idea_move(idea=idea, to_stage=idea.stage, actor=team, note=note)
    process_event.run(_event_of(change))
    return list(
        EmailDelivery.objects.filter(pk__gt=before, status="pending").values_list("pk", flat=True)
    )


def _event_of(change):
    from ideas.models import Event

    return Event.objects.filter(stage_change=change).values_list("pk", flat=True).latest("pk")


def measure(emails=1000, per_task_sample=200):
    """(batched e-mails/s, one-per-task e-mails/s, SMTP connections used by the batches)."""
    from celery import current_app
    from django.test.utils import override_settings

    from core import outbox
    from ideas.models import Idea
    from ideas.services import follows_add
    from members.models import User

    idea = Idea.objects.filter(status=Idea.Status.PUBLISHED).order_by("pk").first()
    team = User.objects.filter(is_superuser=True).first() or User.objects.filter(is_team=True)[0]
    existing = set(
        User.objects.filter(username__startswith="bench-mail-").values_list("username", flat=True)
    )
    User.objects.bulk_create(
        User(username=name, email=f"{name}@example.com")
        for name in (f"bench-mail-{n}" for n in range(emails))
        if name not in existing
    )
    followers = User.objects.filter(username__startswith="bench-mail-")
    follows_add(pairs=[(idea.pk, pk) for pk in followers.values_list("pk", flat=True)])

    sink = SMTPSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    conf = current_app.conf
    saved = conf.task_always_eager, conf.broker_url
    # Publishing goes to an in-memory broker nobody reads: this process is the worker.
    conf.task_always_eager, conf.broker_url = False, "memory://"
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            outbox.deliver_batch("email", limit=100_000)  # nothing older left behind
            pks = _fan_out(idea, team, followers, "Batched: measured by bench.mail.")
            start, received = time.perf_counter(), sink.received
            connections = sink.connections
            while outbox.deliver_batch("email", limit=outbox.batch_size()).get("sent"):
                pass
            batched = (sink.received - received) / (time.perf_counter() - start)
            connections = sink.connections - connections
            sent = sink.received - received

            pks = _fan_out(idea, team, followers, "One per task: measured by bench.mail.")
            sample = pks[:per_task_sample]
            start, received = time.perf_counter(), sink.received
            for pk in sample:
                outbox.deliver("email", pk)
            per_task = (sink.received - received) / (time.perf_counter() - start)
            outbox.deliver_batch("email", limit=100_000)  # send the rest, leave nothing due
    finally:
        conf.task_always_eager, conf.broker_url = saved
        sink.shutdown()
    return {
        "batched": batched,
        "per_task": per_task,
        "sent": sent,
        "connections": connections,
        "sample": len(sample),
    }


def report(result):
    return (
        f"notification e-mails to a local SMTP sink (one worker): {result['batched']:7.1f}/s in "
        f"batches ({result['sent']} e-mails over {result['connections']} connections), "
        f"{result['per_task']:6.1f}/s one per task ({result['sample']} e-mails)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=1000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from ideas.models import Idea

    call_command("migrate", verbosity=0)
    if not Idea.objects.exists():
        call_command("seed_demo")
    print(report(measure(args.emails)))


if __name__ == "__main__":
    main()
