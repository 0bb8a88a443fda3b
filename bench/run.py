"""`make bench`: the table of issue 13 in one run, printed and written as JSON.

Every row is measured on gunicorn (production-like settings, `bench.settings`) against a bare
`HttpResponse("ok")` view served by the same server in the same run: for each round and each row,
the bare view for --seconds, then the page for --seconds, both with --connections clients. The
ratio is page req/s ÷ bare req/s of that round (printed as "1/N"), the median of --rounds rounds;
req/s is the median of the rounds, p50 and p95 come from every request of the row's rounds. The
machine is shared and noisy (±40 %): compare ratios, not absolute numbers.

Rows (`--only` takes their keys, comma separated):

    list        the load-test campaign's idea list, signed in, trending sort
    list_anon   the same list, anonymous
    detail      an idea with 200 comments (20 threads of 10), signed in; created by the setup
    roadmap     the roadmap, anonymous
    pipeline    the admin pipeline list of the load-test campaign, product team user `team`
    suggest     the similar-idea suggestion the submit form asks while typing (htmx GET
                `<campaign>/similar/?title=…`, a different half-typed title each request)
    vote        vote cast and withdraw over HTTP (htmx POST with CSRF to `/votes/<idea>/`, where
                the button posts); each client has its own member and idea and alternates
                cast / withdraw, so every request is valid

Queries per request are counted in this process with Django's test client (a warm-up request,
then the counted one); for `vote`, "cast/withdraw". Worker memory: the VmRSS of each gunicorn
worker (`/proc/<pid>/status`) after boot, and after the whole run.

The client is Python threads (one connection each; gunicorn's sync workers close it after every
response), timing every request, so p50/p95 are exact and the vote row can alternate its POSTs
(wrk would need a Lua script for both). Throttling is off in the bench server (a bench member
votes far more often than 60 times a minute).

After the table: the community dashboard timed in-process, and the mailing throughput
(bench.mail), as before; `--no-extras` skips them (an `--only` run skips them too).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench make bench
    make bench BENCH_ARGS="--seconds 3 --rounds 1 --only list,vote"
    make bench BENCH_ARGS="--out bench/results/before-issue13.json"

At 100,000 ideas (the suggestion goal is set there): seed a separate database, since the ideas
stay in it, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench_100k \\
        make bench BENCH_ARGS="--ideas 100000 --only suggest"

`--ideas`/`--votes` are what `seed_demo` loads into the load-test campaign (it only adds what
is missing); run `VACUUM ANALYZE` on a freshly seeded database before measuring.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.mail import measure as measure_mail
from bench.mail import report as mail_report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocrea_bench")

BARE = "/bench/ok/"
CAMPAIGN = "/campaigns/load-test/"
# CSRF: Django accepts the unmasked 32-character secret from the cookie in the X-CSRFToken header.
CSRF_SECRET = "benchbenchbenchbenchbenchbench32"  # noqa: S105 (a test value)
BENCH_IDEA_TITLE = "Bench: an idea with 200 comments"
# What a member types in the submit form's title, a few keystrokes at a time.
TYPED = [
    "save",
    "save budget",
    "travel fam",
    "travel family pot",
    "export chart",
    "notify shared",
    "card alert goal",
    "widget transfer",
    "budget card",
    "family shared pot idea",
    "goal export",
    "alert notify",
]


class Row:
    def __init__(self, key, name, path, who=None):
        self.key, self.name, self.path, self.who = key, name, path, who

    def paths(self, n):
        """The path client `n` asks each request (an iterator: rows vary their requests)."""
        while True:
            yield "GET", self.path, None


class SuggestRow(Row):
    def paths(self, n):
        from urllib.parse import urlencode

        i = n
        while True:
            yield "GET", f"{self.path}?{urlencode({'title': TYPED[i % len(TYPED)]})}", None
            i += 1


class VoteRow(Row):
    """Each client votes as its own bench member on its own idea, alternating cast / withdraw
    (the state is read from the database before the run)."""

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters  # [(session key, vote path, voted)]

    def paths(self, n):
        from urllib.parse import quote

        _cookie, path, voted = self.voters[n % len(self.voters)]
        back = f"&next={quote(CAMPAIGN, safe='')}"  # the form's hidden field, as htmx sends it
        while True:
            yield "POST", path, ("action=unvote" if voted else "action=vote") + back
            voted = not voted

    def cookie_for(self, n):
        return self.voters[n % len(self.voters)][0]


# Setup --------------------------------------------------------------------------------------


def setup(ideas, votes, connections):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", ideas=ideas, votes=votes)
    from insights.rollup import rollup_refresh

    rollup_refresh()  # as the hourly task keeps it (a full rebuild after an upgrade)
    _pipeline_data()
    detail_pk = _commented_idea()
    voters = _voters(connections)
    return detail_pk, voters


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


def _commented_idea(threads=20, per_thread=10):
    """A published load-test idea with `threads` × `per_thread` comments (a root, replies and
    replies to replies), all on the first page of its discussion (COMMENTS_PER_PAGE threads)
    when `threads` is at most that. Created once; its pk is returned."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django_comments_xtd.models import XtdComment

    from demo.load_test import idea_comment
    from ideas.models import Idea

    idea = Idea.objects.filter(campaign__slug="load-test", title=BENCH_IDEA_TITLE).first()
    idea_type = ContentType.objects.get_for_model(Idea)
    if idea is None:
        model = Idea.objects.filter(campaign__slug="load-test", status=Idea.Status.PUBLISHED)
        model = model.filter(stage__on_roadmap=False).order_by("pk").first()
        idea = Idea.objects.get(pk=model.pk)
        idea.title = BENCH_IDEA_TITLE
        idea.save(update_fields=["title"])
    existing = XtdComment.objects.filter(content_type=idea_type, object_pk=str(idea.pk)).count()
    if existing >= threads * per_thread:
        return idea.pk
    from members.models import User

    people = list(User.objects.filter(username__startswith="load").order_by("pk")[:50])
    words = "Good point, and the budget view should show it too. " * 3
    when = idea.created_at

    def comment(n, parent=None):
        text = f"Comment {n}: *{words}* with a [link](https://example.com/{n})."
        return idea_comment(
            idea, people[n % len(people)], text, when + timedelta(minutes=n), parent
        )

    n = 0
    with transaction.atomic():
        XtdComment.objects.filter(content_type=idea_type, object_pk=str(idea.pk)).delete()
        for _t in range(threads):
            root = comment(n)
            n += 1
            reply = None
            for k in range(per_thread - 1):
                # Two thirds replies to the root, one third replies to the reply before.
                parent = reply if (k % 3 == 2 and reply) else root
                made = comment(n, parent)
                if parent is root:
                    reply = made
                n += 1
    return idea.pk


def _voters(n):
    """`n` bench members, each with a session and an idea of the load-test campaign to vote
    on: [(session key, vote path, whether the member has voted)]."""
    from ideas.models import Idea
    from members.models import User
    from voting.models import Vote

    ideas = list(
        Idea.objects.filter(campaign__slug="load-test", status=Idea.Status.PUBLISHED)
        .exclude(title=BENCH_IDEA_TITLE)
        .order_by("-pk")
        .values_list("pk", flat=True)[:n]
    )
    voters = []
    for k in range(n):
        username = f"bench-voter-{k}"
        User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@cocrea.test", "display_name": f"Bench voter {k}"},
        )
        session, user = session_for(username)
        idea = ideas[k % len(ideas)]
        voted = Vote.objects.filter(member=user, idea_id=idea).exists()
        voters.append((session, f"/votes/{idea}/", voted))  # the button's address
    return voters


def rows_for(detail_pk, voters, load_test_pk):
    return [
        Row("list", "campaign idea list, signed in (trending)", f"{CAMPAIGN}?sort=trending", "member"),
        Row("list_anon", "same list, anonymous", f"{CAMPAIGN}?sort=trending"),
        Row("detail", "idea detail, 200 comments, signed in", f"{CAMPAIGN}ideas/{detail_pk}/", "member"),
        Row("roadmap", "roadmap", "/roadmap/"),
        Row("pipeline", "admin pipeline list (team)", f"/admin/ideas/?campaign={load_test_pk}", "team"),
        SuggestRow("suggest", "similar-idea suggestion (typing)", f"{CAMPAIGN}similar/", "member"),
        VoteRow("vote", "vote cast / withdraw (htmx POST)", "/votes/", voters=voters),
    ]  # fmt: skip


# Queries, in this process -------------------------------------------------------------------


def _client(username):
    from django.test import Client

    from members.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def count_queries(row):
    """(status, queries) of one request of the row after a warm-up request; for the vote row
    a cast and a withdrawal by a member of its own ("cast/withdraw"), leaving no vote."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if isinstance(row, VoteRow):
        from members.models import User

        User.objects.get_or_create(username="bench-voter-q", defaults={"email": "q@cocrea.test"})
        client = _client("bench-voter-q")
        path = row.voters[0][1]
        counts, status = [], 0
        for action in ("vote", "unvote", "vote", "unvote"):
            with CaptureQueriesContext(connection) as captured:
                response = client.post(path, {"action": action}, headers={"HX-Request": "true"})
            counts.append(len(captured))
            status = max(status, response.status_code)
        return status, f"{counts[2]}/{counts[3]}"  # the second pair: warm
    client = _client(row.who)
    method, path, _body = next(row.paths(0))
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response.status_code, len(captured)


# Load, over HTTP ----------------------------------------------------------------------------


def request_headers(row, n, cookie):
    """The headers client `n` sends for `row` (None: the bare view)."""
    headers, cookies = {}, []
    if isinstance(row, VoteRow):
        cookie = row.cookie_for(n)
        cookies.append(f"csrftoken={CSRF_SECRET}")
        headers["X-CSRFToken"] = CSRF_SECRET
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(row, VoteRow | SuggestRow):
        headers["HX-Request"] = "true"  # as htmx asks
    if cookie:
        cookies.append(f"sessionid={cookie}")
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return headers


def load(port, row, cookie, seconds, connections):
    """`connections` threads asking the row's paths for `seconds`: (req/s, latencies, errors)."""
    latencies = [[] for _ in range(connections)]
    errors = [0] * connections
    stop = time.monotonic() + seconds

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = request_headers(row, n, cookie)
        paths = row.paths(n) if row is not None else iter(lambda: ("GET", BARE, None), None)
        mine = latencies[n]
        while time.monotonic() < stop:
            method, path, body = next(paths)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                conn.close()
                continue
            elapsed = time.perf_counter() - start
            if response.status == 200:
                mine.append(elapsed)
            else:
                errors[n] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began  # until the last answer, which may come after `seconds`
    flat = [t for per in latencies for t in per]
    return len(flat) / elapsed, flat, sum(errors)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def worker_pids(master):
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return sorted(int(pid) for pid in text.split())


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start_server(port, workers, extra_env=None):
    env = {**os.environ, "THROTTLE_ENABLED": "false", **(extra_env or {})}
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            f"-w{workers}",
            f"-b127.0.0.1:{port}",
            "--log-level=warning",
            *(["--timeout=600"] if env.get("BENCH_TRACEMALLOC") else []),  # snapshots are slow
        ],
        cwd=ROOT,
        env=env,
    )
    deadline, answered = time.monotonic() + 120, set()
    while time.monotonic() < deadline:
        pids = set(worker_pids(server.pid))
        if len(pids) >= workers and pids <= answered:
            break  # every worker has loaded the application and answered
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/pid/")
            answered.add(int(conn.getresponse().read()))
            conn.close()
        except (OSError, ValueError, http.client.HTTPException):
            time.sleep(0.3)
    return server


def measure(args, rows, sessions):
    """Every round: for each row, the bare view then the row. The per-row results."""
    results = {row.key: {"rounds": [], "latencies": [], "errors": 0} for row in rows}
    server = start_server(args.port, args.workers)
    pids = worker_pids(server.pid)
    rss_start = [rss_mb(pid) for pid in pids]
    served = 0
    try:
        for row in rows:  # warm-up: every page once per client, not counted
            load(args.port, row, sessions.get(row.who), 1, args.connections)
        rss_warm = [rss_mb(pid) for pid in pids]
        for r in range(args.rounds):
            for row in rows:
                bare_rps, bare_lat, _e = load(args.port, None, None, args.seconds, args.connections)
                rps, lat, errors = load(
                    args.port, row, sessions.get(row.who), args.seconds, args.connections
                )
                served += len(bare_lat) + len(lat) + errors
                out = results[row.key]
                out["rounds"].append({"bare_rps": bare_rps, "rps": rps, "ratio": rps / bare_rps})
                out["latencies"].extend(lat)
                out["errors"] += errors
                print(
                    f"  round {r + 1} {row.key:10} {rps:7.1f} req/s, bare {bare_rps:7.1f},"
                    f" 1/{bare_rps / max(rps, 0.01):.1f}, {errors} errors",
                    file=sys.stderr,
                    flush=True,
                )
        rss_end = [rss_mb(pid) for pid in worker_pids(server.pid)]
    finally:
        server.terminate()
        server.wait()
    rss = {
        "workers": pids,
        "start_mb": rss_start,
        "after_warmup_mb": rss_warm,
        "end_mb": rss_end,
        "requests": served,
    }
    return results, rss


def summarise(rows, results, queries):
    table = []
    for row in rows:
        out = results[row.key]
        rounds = out["rounds"]
        ratio = statistics.median(r["ratio"] for r in rounds)
        lat = out["latencies"]
        status, count = queries[row.key]
        table.append(
            {
                "key": row.key,
                "name": row.name,
                "path": row.path,
                "rps": statistics.median(r["rps"] for r in rounds),
                "bare_rps": statistics.median(r["bare_rps"] for r in rounds),
                "p50_ms": percentile(lat, 50) * 1000,
                "p95_ms": percentile(lat, 95) * 1000,
                "ratio": ratio,
                "ratio_text": f"1/{1 / ratio:.1f}" if ratio else "0",
                "queries": count,
                "status": status,
                "requests": len(lat),
                "errors": out["errors"],
                "rounds": rounds,
            }
        )
    return table


def print_table(table, rss, header):
    print(header)
    print(
        f"| {'what':40} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'ratio':>7} | {'queries':>7} |"
    )
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for t in table:
        flag = "" if t["status"] == 200 and not t["errors"] else f" (status {t['status']}, {t['errors']} errors)"  # fmt: skip
        print(
            f"| {t['name'] + flag:40} | {t['rps']:7.1f} | {t['p50_ms']:7.1f} | {t['p95_ms']:7.1f} |"
            f" {t['ratio_text']:>7} | {t['queries']!s:>7} |"
        )
    start = " / ".join(f"{m:.0f}" for m in rss["start_mb"])
    end = " / ".join(f"{m:.0f}" for m in rss["end_mb"])
    print(
        f"| {'gunicorn worker RSS (MB)':40} | start {start}, after {rss['requests']} requests {end} |"
    )


def git_commit():
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def dashboard_timing(runs=5):
    """The community dashboard rendered in this process (no server), for all campaigns, the
    load test, a segment of a quarter of the members, the last 90 days and the three filters at
    once: the median of `runs` renders computing every figure (cold: no cached panel, no cached
    roll-up total), then with the figures kept in the cache (warm, INSIGHTS_CACHE_SECONDS, as
    after `dashboard_warm` or a first view), and the query counts."""
    import datetime as dt

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import CampaignPage
    from demo.load_test import panel_segment
    from members.models import User
    from segments.models import Segment

    manager, _ = User.objects.get_or_create(
        username="bench-insights", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(manager)
    load_test = CampaignPage.objects.get(slug="load-test").pk
    panel = Segment.objects.filter(slug="load-test-panel").first()
    if panel is None:
        members = User.objects.filter(username__startswith="load").order_by("pk")
        panel = panel_segment(list(members.values_list("pk", flat=True))[::4])
        panel.refresh_from_db()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE segments_segmentmembership")
    today = dt.date.today()
    scopes = (
        ("all campaigns", {}),
        ("the load-test campaign", {"campaign": load_test}),
        (f"a segment ({panel.member_count} members)", {"segment": panel.pk}),
        ("the last 90 days", {"since": str(today - dt.timedelta(days=90))}),
        (
            "campaign + segment + 200 days",
            {
                "campaign": load_test,
                "segment": panel.pk,
                "since": str(today - dt.timedelta(days=200)),
            },
        ),
    )

    def median(query, *, cold=False):
        from django.utils import timezone

        from insights.models import RollupState

        times = []
        for _ in range(runs):
            if cold:
                # As the first view after a refresh: the roll-up's totals not yet cached.
                RollupState.objects.update(built_at=timezone.now())
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/admin/insights/", query)
            times.append(time.perf_counter() - start)
        return response.status_code, len(captured), sorted(times)[runs // 2]

    results = []
    for name, query in scopes:
        with override_settings(INSIGHTS_CACHE_SECONDS=0):
            client.get("/admin/insights/", query)
            cold = median(query, cold=True)
        client.get("/admin/insights/", query)
        warm = median(query)
        results.append((name, cold, warm))
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ideas", type=int, default=20_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=5, help="per row and per bare run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--only", default="", help="comma-separated row keys (see above)")
    parser.add_argument("--no-extras", action="store_true", help="skip dashboard and mail")
    parser.add_argument("--out", default="", help="JSON file (default bench/results/<UTC>.json)")
    parser.add_argument("--emails", type=int, default=1000, help="followers e-mailed by bench.mail")
    args = parser.parse_args()

    detail_pk, voters = setup(args.ideas, args.votes, args.connections)
    from campaigns.models import CampaignPage

    load_test_pk = CampaignPage.objects.get(slug="load-test").pk
    rows = rows_for(detail_pk, voters, load_test_pk)
    if args.only:
        keys = {k.strip() for k in args.only.split(",") if k.strip()}
        unknown = keys - {row.key for row in rows}
        if unknown:
            parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
        rows = [row for row in rows if row.key in keys]
    queries = {row.key: count_queries(row) for row in rows}
    sessions = {who: session_for(who)[0] for who in {row.who for row in rows} if who}
    from django.db import connection

    connection.close()  # the server's workers, not this process, use the database now
    started = datetime.now(UTC)
    results, rss = measure(args, rows, sessions)
    table = summarise(rows, results, queries)
    header = (
        f"issue 13 bench, {started:%Y-%m-%d %H:%M} UTC, commit {git_commit()}: {args.ideas} ideas,"
        f" {args.votes} votes; gunicorn {args.workers} sync workers, {args.connections} python"
        f" clients, {args.seconds:g}s per row and per bare run, median of {args.rounds} rounds"
    )
    print_table(table, rss, header)
    report = {
        "started": started.isoformat(),
        "commit": git_commit(),
        "args": vars(args),
        "client": "python threads",
        "rows": table,
        "rss": rss,
    }
    if not args.only and not args.no_extras:
        dashboard = dashboard_timing()
        mail = measure_mail(args.emails)
        print("\ncommunity dashboard (superuser, rendered in-process, median of 5):")
        for name, (status, q, cold), (_s, warm_queries, warm) in dashboard:
            print(
                f"  {name:26} status {status}, {q:3d} queries, {cold * 1000:7.1f} ms computed;"
                f" {warm_queries:3d} queries, {warm * 1000:6.1f} ms from the cache"
            )
        print(f"\n{mail_report(mail)}")  # one worker, what it does with a backlog
        report["dashboard"] = [
            {"name": n, "status": c[0], "queries": c[1], "cold_ms": c[2] * 1000,
             "warm_queries": w[1], "warm_ms": w[2] * 1000}
            for n, c, w in dashboard
        ]  # fmt: skip
        report["mail"] = mail
    out = Path(args.out) if args.out else RESULTS / f"{started:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
