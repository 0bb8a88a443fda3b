"""Cocrea on more than one machine, proven on loopback (docs/operations.md): two gunicorn
instances on two ports, two Celery workers and one beat, on one PostgreSQL and one Redis, under
mixed load through both web processes. Then the checks: every vote count exact, every e-mail
sent once, no notification lost.

    make scale-out            # or: python -m bench.scale_out --members 40 --seconds 30

It uses its own database (`cocrea_scale`, recreated) and Redis database (15 by default: flushed),
a local SMTP sink that records every message, and prints one line of figures per check; the exit
status is 1 if any check fails.
"""

import argparse
import hashlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("SCALE_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("SCALE_DB", "cocrea_scale")
REDIS = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
os.environ["REDIS_URL"] = REDIS
os.environ.setdefault("SECRET_KEY", "scale-out-" + "x" * 50)

from bench.mail import SMTPSink, _SMTPHandler  # noqa: E402


class RecordingHandler(_SMTPHandler):
    """The bench sink, keeping (recipient, digest of the message but its Date and Message-ID)
    of every message: the same e-mail sent twice has the same digest."""

    def setup(self):
        super().setup()
        original = self.rfile.readline
        state = {"rcpt": [], "data": None}

        def readline(*args):
            line = original(*args)
            upper = line[:9].upper()
            if upper.startswith(b"RCPT TO:"):
                state["rcpt"].append(line[8:].strip().strip(b"<>").decode())
            elif upper.startswith(b"DATA"):
                state["data"] = []
            elif state["data"] is not None:
                if line in (b".\r\n", b""):
                    digest = hashlib.sha256(b"".join(state["data"])).hexdigest()
                    with self.server.lock:
                        for rcpt in state["rcpt"]:
                            self.server.messages.append((rcpt, digest))
                    state["rcpt"], state["data"] = [], None
                elif not line.lower().startswith((b"message-id:", b"date:")):
                    state["data"].append(line)
            return line

        self.rfile.readline = readline


class RecordingSink(SMTPSink):
    def __init__(self):
        super().__init__()
        self.RequestHandlerClass = RecordingHandler
        self.messages = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


def recreate_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def prepare(n_members):
    """Migrate, load the demo, and give `n_members` members a session: (sessions, ideas, team)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from campaigns.models import CampaignPage
    from ideas.models import Idea
    from ideas.selectors import with_urls
    from members.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    # The source (English) page: ideas and votes belong to it, translations show the same.
    campaign = CampaignPage.objects.get(
        slug="mobile-savings", locale__language_code=settings.LANGUAGE_CODE
    )
    ideas = list(
        Idea.objects.filter(
            campaign=campaign, status=Idea.Status.PUBLISHED, stage__is_closed=False
        ).exclude(stage__role="merged")
    )
    with_urls(ideas, campaign_url=campaign.url)
    sessions = []
    for n in range(n_members):
        member, _ = User.objects.get_or_create(
            username=f"scale-{n}",
            defaults={
                "email": f"scale-{n}@example.com",
                "code_of_conduct_accepted_at": timezone.now(),
            },
        )
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = "members.backends.MemberBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        sessions.append((member.pk, session.session_key))
    team = (
        User.objects.filter(is_team=True).first() or User.objects.filter(is_superuser=True).first()
    )
    return sessions, [(idea.pk, idea.url) for idea in ideas], team


def start_processes(ports, sink_port, workers):
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "OUTBOX_GRACE_SECONDS": "2",
        "OUTBOX_SWEEP_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
    }
    bin_dir = Path(sys.executable).parent
    processes = []
    for port in ports:
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    str(bin_dir / "gunicorn"),
                    "bench.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    for n in range(workers):
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cocrea",
                    "worker",
                    "-c",
                    "2",
                    "-n",
                    f"scale-{n}@%h",
                    "-l",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    schedule = ROOT / "tmp" / "scale-beat-schedule"
    schedule.parent.mkdir(exist_ok=True)
    processes.append(
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "cocrea", "beat", "-s", str(schedule)]
            + ["-l", "warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    )
    for port in ports:
        wait_until(lambda p=port: _up(p), f"gunicorn on {port}", 60)
    return processes


def _up(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ok/", timeout=2)  # noqa: S310
        return True
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


class Member(threading.Thread):
    """One member voting, withdrawing, commenting and reading, alternating the two web
    processes; it records what each answer says the member's vote now is."""

    def __init__(self, session_key, ideas, ports, until, seed):
        super().__init__(daemon=True)
        self.session_key, self.ideas, self.ports, self.until = session_key, ideas, ports, until
        self.rng = random.Random(seed)  # noqa: S311 (load, not secrets)
        self.state = {}  # idea pk -> voted (from the last answer)
        self.requests = Counter()
        self.errors = []

    def request(self, port, path, data=None, htmx=False):
        headers = {"Cookie": f"sessionid={self.session_key}; csrftoken={'c' * 32}"}
        if data is not None:
            headers["X-CSRFToken"] = "c" * 32
            data = urllib.parse.urlencode(data).encode()
        if htmx:
            headers["HX-Request"] = "true"
        request = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{port}{path}", data=data, headers=headers
        )
        self.requests[port] += 1
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                self.errors.append((port, path, error.code))
            return error.code, error.read().decode()
        except (urllib.error.URLError, OSError) as error:
            self.errors.append((port, path, str(error)))
            return 0, ""

    def run(self):
        turn = 0
        while time.monotonic() < self.until:
            port = self.ports[turn % len(self.ports)]
            turn += 1
            pk, url = self.rng.choice(self.ideas)
            roll = self.rng.random()
            if roll < 0.6:
                action = "unvote" if self.state.get(pk) else "vote"
                status, body = self.request(
                    port, f"{url}vote/", {"action": action, "next": url}, htmx=True
                )
                pressed = re.search(r'aria-pressed="(true|false)"', body)
                if status == 200 and pressed:
                    self.state[pk] = pressed.group(1) == "true"
            elif roll < 0.7:
                self.request(port, url)
            else:
                self.request(port, url.rsplit("/ideas/", 1)[0] + "/")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    recreate_database()
    sessions, ideas, team = prepare(args.members)
    sink = RecordingSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    ports = [free_port(), free_port()]
    processes = start_processes(ports, sink.port, args.workers)
    failed = []
    try:
        until = time.monotonic() + args.seconds
        members = [
            Member(key, ideas, ports[n % 2 :] + ports[: n % 2], until, n)
            for n, (_pk, key) in enumerate(sessions)
        ]
        started = time.monotonic()
        for member in members:
            member.start()
        moves = answer_ideas(ideas, team, until)
        for member in members:
            member.join()
        elapsed = time.monotonic() - started
        requests = sum((m.requests for m in members), Counter())
        errors = [e for m in members for e in m.errors]
        print(
            f"load: {sum(requests.values())} requests in {elapsed:.0f} s "
            f"({sum(requests.values()) / elapsed:.0f}/s), "
            + ", ".join(f"{requests[p]} through :{p}" for p in ports)
            + f"; {len(errors)} errors; {moves} official responses by the team"
        )
        if errors:
            failed.append(f"errors: {errors[:5]}")
        failed += check(members, sink)
    finally:
        for process in processes:  # a warm shutdown: the main process tells its children
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        sink.shutdown()
    if failed:
        print("FAILED: " + "; ".join(failed))
        sys.exit(1)
    print("every check passed")


def answer_ideas(ideas, team, until):
    """The team answers ideas while members vote: each answer is an event heard by the idea's
    followers (a notification, and an e-mail) through the outbox and the two workers."""
    from ideas.models import Idea
    from ideas.services import idea_move

    moves = 0
    while time.monotonic() < until:
        pk, _url = random.choice(ideas)  # noqa: S311
        idea = Idea.objects.select_related("stage").get(pk=pk)
        idea_move(idea=idea, to_stage=idea.stage, actor=team, note=f"Team answer #{moves}.")
        moves += 1
        time.sleep(1.5)
    return moves


def check(members, sink):
    from django.db.models import Count

    from ideas.models import Event, Follow, Idea
    from notifications.models import EmailDelivery, Notification
    from voting.models import Vote

    failed = []

    def drained():
        return (
            not Event.objects.filter(processed_at__isnull=True).exists()
            and not EmailDelivery.objects.filter(status="pending").exists()
        )

    start = time.monotonic()
    wait_until(drained, "the outbox to drain", 180)
    print(f"outbox drained {time.monotonic() - start:.1f} s after the load")

    # 1. Votes: the counter on each idea, the rows, and what the members were told.
    def per_idea(votes):
        return dict(votes.values("idea").annotate(n=Count("pk")).values_list("idea", "n"))

    counted = per_idea(Vote.objects.all())
    by_load = per_idea(Vote.objects.filter(member__username__startswith="scale-"))
    told = Counter()
    for member in members:
        for pk, voted in member.state.items():
            told[pk] += voted
    wrong = []
    for idea in Idea.objects.filter(pk__in=set(counted) | set(told)):
        rows, load, answers = counted.get(idea.pk, 0), by_load.get(idea.pk, 0), told[idea.pk]
        if idea.vote_count != rows or load != answers:
            wrong.append((idea.pk, idea.vote_count, rows, load, answers))
    print(
        f"votes: {sum(counted.values())} votes on {len(counted)} ideas; "
        f"{len(wrong)} ideas whose counter, rows and members' answers disagree"
    )
    if wrong:
        failed.append(f"vote counts {wrong[:5]}")

    # 2. E-mails: each delivery sent once, nothing sent twice.
    sent = EmailDelivery.objects.filter(status="sent").count()
    other = dict(
        EmailDelivery.objects.exclude(status="sent")
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    duplicates = sum(n - 1 for n in Counter(sink.messages).values() if n > 1)
    print(
        f"e-mails: {len(sink.messages)} received by the sink, {sent} deliveries sent, "
        f"{other or 'none'} not sent; {duplicates} duplicates"
    )
    if duplicates or len(sink.messages) != sent:
        failed.append(f"e-mails: {len(sink.messages)} received for {sent} sent, {duplicates} dup")

    # 3. Notifications: every follower who followed before an answer was told of it.
    lost = 0
    answers = Event.objects.filter(kind=Event.Kind.RESPONSE)
    for event in answers:
        expected = set(
            Follow.objects.filter(idea_id=event.idea_id, created_at__lt=event.created_at)
            .exclude(member_id=event.actor_id)
            .values_list("member_id", flat=True)
        )
        told_of = set(
            Notification.objects.filter(event=event).values_list("recipient_id", flat=True)
        )
        lost += len(expected - told_of)
    notified = Notification.objects.filter(event__in=answers).count()
    print(f"notifications: {notified} for {answers.count()} answers; {lost} lost")
    if lost:
        failed.append(f"{lost} notifications lost")
    return failed


if __name__ == "__main__":
    main()
