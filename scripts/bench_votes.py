"""Votes over HTTP against the bare HttpResponse("ok") view, on the same server in the same run
(the method of `bench/run.py`: gunicorn, ratio = votes ÷ bare, rounds alternated, median).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench \\
        python scripts/bench_votes.py --seconds 10 --rounds 3

Needs the bench data (`bench/run.py` or `manage.py seed_demo --ideas 20000 --votes 1000000`).
Each client is a member of its own, casting and withdrawing htmx votes in turn on ideas of the
load-test campaign open for votes; at the end every idea touched is checked: its stored count
is its number of vote rows. Also prints the queries one cast and one withdrawal cost (Django
counts BEGIN and COMMIT here). Run it from the checkout to measure (its current directory).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path.cwd()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# Every client comes from 127.0.0.1: the per-IP vote limit would answer most requests with 429.
os.environ.setdefault("THROTTLE_ENABLED", "false")
CSRF = "c" * 32


def setup(clients):
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from campaigns.models import CampaignPage
    from ideas.models import Idea, idea_url
    from members.models import User

    campaign = CampaignPage.objects.get(slug="load-test")
    ideas = list(
        Idea.objects.filter(
            campaign=campaign, status=Idea.Status.PUBLISHED, stage__is_closed=False
        ).values_list("pk", flat=True)[:200]
    )
    sessions = []
    for n in range(clients):
        member, _ = User.objects.get_or_create(
            username=f"vote-bench-{n}", defaults={"email": f"vote-bench-{n}@example.com"}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = "members.backends.MemberBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        sessions.append((session.session_key, member))
    urls = [idea_url(Idea(pk=pk), campaign.url) + "vote/" for pk in ideas]
    return campaign, ideas, urls, sessions


def count_queries(url, member):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HX_REQUEST="true")
    client.force_login(member)
    out = []
    for action in ("vote", "unvote", "vote", "unvote"):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"action": action})
        out.append((action, response.status_code, len(captured)))
    return out[2:]  # warm


def bare(port, seconds, connections):
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", "/bench/ok/")
            response = conn.getresponse()
            response.read()
            done[n] += response.status == 200
        conn.close()

    run(worker, connections)
    return sum(done) / seconds


def votes(port, seconds, urls, sessions, offset):
    done, errors = [0] * len(sessions), [0] * len(sessions)
    stop = time.monotonic() + seconds

    def worker(n):
        key = sessions[n][0]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Cookie": f"sessionid={key}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        i = offset + n * 7
        while time.monotonic() < stop:
            url = urls[(i // 2) % len(urls)]
            action = "vote" if i % 2 == 0 else "unvote"
            conn.request("POST", url, urllib.parse.urlencode({"action": action}), headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[n] += 1
            else:
                errors[n] += 1
            i += 1
        conn.close()

    run(worker, len(sessions))
    return sum(done) / seconds, sum(errors)


def run(worker, n):
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    campaign, ideas, urls, sessions = setup(args.connections)
    queries = count_queries(urls[-1], sessions[0][1])
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            f"-w{args.workers}",
            f"-b127.0.0.1:{args.port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    rounds = []
    try:
        time.sleep(4)
        bare(args.port, 2, args.connections)
        votes(args.port, 2, urls, sessions, 0)
        for r in range(args.rounds):
            ok = bare(args.port, args.seconds, args.connections)
            rps, errors = votes(args.port, args.seconds, urls, sessions, 1000 * (r + 1))
            rounds.append((ok, rps, errors))
    finally:
        server.terminate()
        server.wait()

    from django.db.models import Count

    from ideas.models import Idea
    from voting.models import Vote

    rows = dict(
        Vote.objects.filter(idea_id__in=ideas)
        .values("idea_id")
        .annotate(n=Count("pk"))
        .values_list("idea_id", "n")
    )
    wrong = [
        (pk, count, rows.get(pk, 0))
        for pk, count in Idea.objects.filter(pk__in=ideas).values_list("pk", "vote_count")
        if count != rows.get(pk, 0)
    ]
    print(f"{args.workers} gunicorn workers, {args.connections} clients, {args.seconds}s a round")
    for action, status, n in queries:
        print(f"one {action} over HTTP (htmx): status {status}, {n} queries")
    for ok, rps, errors in rounds:
        print(f"bare {ok:7.1f} req/s | votes {rps:6.1f} req/s ({errors} errors) = 1/{ok / rps:.1f}")
    ratio = statistics.median(ok / rps for ok, rps, _e in rounds)
    print(f"median: votes at 1/{ratio:.1f} of the bare view")
    print(f"counts: {len(ideas)} ideas checked, {len(wrong)} wrong {wrong[:5]}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
