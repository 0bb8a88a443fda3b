"""A long mixed run against gunicorn, for the workers' memory (issue 13: "worker memory flat").

Every client goes round the rows of bench.run (list signed in and anonymous, idea detail with
200 comments, roadmap, admin pipeline list, similar-idea suggestion, vote cast / withdraw), one
request each, until --requests requests are answered; every --every requests the VmRSS of each
gunicorn worker is printed. --bare N adds N bare requests per round of pages (cheap requests,
which is how a long run reaches ~100k requests quickly).

With --trace FRAMES the server runs one worker, and each sample also prints what that worker
allocated and still holds since the previous sample, by allocation site (tracemalloc, started
at the first sample), and the live objects by type (bench.memory): whatever grows is on top.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocrea_bench \\
        .venv/bin/python -m bench.soak --requests 100000 --bare 6
    .venv/bin/python -m bench.soak --requests 3000 --every 500 --trace 4
"""

import argparse
import http.client
import threading
import time

from bench import run


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ideas", type=int, default=20_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000, help="requests between samples")
    parser.add_argument("--bare", type=int, default=0, help="bare requests per round of pages")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument(
        "--trace", type=int, default=None, help="one worker; tracemalloc frames (0: counts only)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated row keys of bench.run; 'bare': none"
    )
    args = parser.parse_args()

    detail_pk, voters = run.setup(args.ideas, args.votes, args.connections)
    from django.db import connection

    from campaigns.models import CampaignPage

    rows = run.rows_for(detail_pk, voters, CampaignPage.objects.get(slug="load-test").pk)
    if args.only:
        keys = {k.strip() for k in args.only.split(",")}
        rows = [row for row in rows if row.key in keys]
    sessions = {who: run.session_for(who)[0] for who in {row.who for row in rows} if who}
    connection.close()
    extra = {"BENCH_TRACEMALLOC": str(args.trace)} if args.trace is not None else {}
    workers = 1 if args.trace is not None else args.workers
    server = run.start_server(args.port, workers, extra)
    pids = run.worker_pids(server.pid)
    lock = threading.Lock()
    state = {"done": 0, "errors": 0, "next": args.every, "samples": []}
    started = time.monotonic()

    def sample(label):
        rss = " / ".join(f"{run.rss_mb(pid):6.1f}" for pid in pids)
        line = f"{label:>8} requests, {time.monotonic() - started:6.0f}s: worker RSS {rss} MB"
        print(line, flush=True)
        state["samples"].append(line)
        if args.trace is not None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
            conn.request("GET", "/bench/memory/?top=12")
            print(conn.getresponse().read().decode(), flush=True)
            conn.close()

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        plan = []
        for row in rows:
            plan.append((run.request_headers(row, n, sessions.get(row.who)), row.paths(n)))
        bare = ({}, iter(lambda: ("GET", run.BARE, None), None))
        plan = [step for page in plan for step in (page, *[bare] * args.bare)] or [bare]
        k = 0
        while True:
            headers, paths = plan[k % len(plan)]
            k += 1
            method, path, body = next(paths)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            with lock:
                if state["done"] >= args.requests:
                    break
                state["done"] += 1
                state["errors"] += not ok
                if state["done"] >= state["next"]:
                    state["next"] += args.every
                    sample(state["done"])  # the other clients wait: the worker is idle
        conn.close()

    try:
        sample(0)
        threads = [
            threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()
    print(f"{state['done']} requests, {state['errors']} errors")


if __name__ == "__main__":
    main()
