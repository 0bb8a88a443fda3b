"""Throughput of a signed-in member's campaign idea list against a bare HttpResponse("ok") view,
measured in the same run on the same server, reported as a ratio (machines here are shared and
noisy, so absolute numbers mean little).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench make bench
    make bench BENCH_ARGS="--ideas 20000 --votes 1000000 --seconds 15"
"""

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.mail import measure as measure_mail
from bench.mail import report as mail_report

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocrea_bench")


def setup(ideas, votes):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", ideas=ideas, votes=votes)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import User

    member = User.objects.get(username="member")
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.MemberBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    _pipeline_data()
    return session.session_key, member


def session_for(username):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.MemberBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, user


def _pipeline_data():
    """Spread part of the load-test campaign over the roadmap stages (once), so the roadmap,
    changelog and admin pages have realistic content at this size."""
    from django.db.models import F
    from django.utils import timezone

    from ideas.models import Idea, Stage

    ideas = Idea.objects.filter(campaign__slug="load-test")
    if ideas.filter(stage__on_roadmap=True).exists():
        return
    stages = {s.slug: s for s in Stage.objects.all()}
    now = timezone.now()
    start = 0
    for slug, n in (
        ("under-review", 2000),
        ("planned", 300),
        ("in-progress", 200),
        ("shipped", 500),
    ):
        pks = list(ideas.order_by("pk").values_list("pk", flat=True)[start : start + n])
        start += n
        Idea.objects.filter(pk__in=pks).update(
            stage=stages[slug],
            stage_changed_at=F("created_at"),
            response=f"Moved to {slug} during the load test.",
            response_at=now,
        )


def count_queries(path, member):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if member is not None:
        client.force_login(member)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response.status_code, len(captured)


def dashboard_timing(runs=5):
    """The community dashboard rendered in this process (no server), for all campaigns and for
    the load test: the median of `runs` renders computing every figure (cold), then with the
    figures kept in the cache (warm, INSIGHTS_CACHE_SECONDS), and the query counts."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import CampaignPage
    from members.models import User

    manager, _ = User.objects.get_or_create(
        username="bench-insights", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(manager)
    load_test = CampaignPage.objects.get(slug="load-test").pk

    def median(query):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/admin/insights/", query)
            times.append(time.perf_counter() - start)
        return response.status_code, len(captured), sorted(times)[runs // 2]

    results = []
    for name, query in (("all campaigns", {}), ("the load-test campaign", {"campaign": load_test})):
        with override_settings(INSIGHTS_CACHE_SECONDS=0):
            client.get("/admin/insights/", query)
            cold = median(query)
        client.get("/admin/insights/", query)
        warm = median(query)
        results.append((name, cold, warm))
    return results


def load(port, path, cookie, seconds, connections):
    done, errors = [0] * connections, [0] * connections
    stop = time.monotonic() + seconds

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[n] += 1
            else:
                errors[n] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds, sum(errors)


def wrk(port, path, cookie, seconds, connections):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"]
    if cookie:
        args[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1]), 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=20_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--emails", type=int, default=1000, help="followers e-mailed by bench.mail")
    args = parser.parse_args()

    cookie, member = setup(args.ideas, args.votes)
    team_cookie, team = session_for("team")
    path = "/campaigns/load-test/"
    status, queries = count_queries(path, member)
    from campaigns.models import CampaignPage

    load_test = CampaignPage.objects.get(slug="load-test").pk
    pipeline = [
        ("roadmap (anonymous)", "/roadmap/", None, None),
        ("changelog (anonymous)", "/changelog/", None, None),
        ("changelog feed", "/feeds/changelog/", None, None),
        ("API idea list", "/api/v1/ideas/?campaign=load-test", None, None),
        ("admin idea list (team)", f"/admin/ideas/?campaign={load_test}", team, team_cookie),
        ("admin board (team)", f"/admin/ideas/board/?campaign={load_test}", team, team_cookie),
    ]
    pipeline_counts = [(name, url, *count_queries(url, user), c) for name, url, user, c in pipeline]
    dashboard = dashboard_timing()
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
    try:
        time.sleep(3)
        measure = wrk if shutil.which("wrk") else load
        for warm in ("/bench/ok/", path):
            measure(args.port, warm, cookie, 2, args.connections)
        ok_rps, _ = measure(args.port, "/bench/ok/", None, args.seconds, args.connections)
        list_rps, errors = measure(args.port, path, cookie, args.seconds, args.connections)
        pipeline_rps = [
            measure(args.port, url, c, max(args.seconds // 2, 2), args.connections)[0]
            for _name, url, _status, _queries, c in pipeline_counts
        ]
    finally:
        server.terminate()
        server.wait()
    mail = measure_mail(args.emails)
    print(
        f"client: {'wrk' if shutil.which('wrk') else 'python threads'}, {args.workers} gunicorn workers, {args.connections} connections, {args.seconds}s each"
    )
    print(f"data: {args.ideas} ideas, {args.votes} votes in the load-test campaign")
    print(f"bare HttpResponse('ok'):        {ok_rps:8.1f} req/s")
    print(
        f"signed-in campaign idea list:   {list_rps:8.1f} req/s  (status {status}, {queries} queries, {errors} errors)"
    )
    print(f"ratio: 1/{ok_rps / list_rps:.1f} of the bare view")
    print("\npipeline pages at this size (same server, same run):")
    for (name, _url, status, queries, _c), rps in zip(pipeline_counts, pipeline_rps, strict=True):
        print(
            f"  {name:26} status {status}, {queries:3d} queries, {rps:7.1f} req/s = 1/{ok_rps / max(rps, 0.01):.0f} of the bare view"
        )

    print("\ncommunity dashboard (superuser, rendered in-process, median of 5):")
    for name, (status, queries, cold), (_s, warm_queries, warm) in dashboard:
        print(
            f"  {name:26} status {status}, {queries:3d} queries, {cold * 1000:7.1f} ms computed;"
            f" {warm_queries:3d} queries, {warm * 1000:6.1f} ms from the cache"
        )

    print(f"\n{mail_report(mail)}")  # one worker, what it does with a backlog


if __name__ == "__main__":
    main()
