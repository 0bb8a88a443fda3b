"""`/bench/memory/` on the bench server (bench.soak --trace): what this worker holds now that it
did not hold at the previous call, by allocation site (tracemalloc, after a full collection) and
by type of live object (gc). Only when the server runs with BENCH_TRACEMALLOC=<frames>."""

import collections
import gc
import os
import tracemalloc

from django.http import Http404, HttpResponse

_previous = {}


def _types():
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def report(request):
    if not os.environ.get("BENCH_TRACEMALLOC") or not tracemalloc.is_tracing():
        raise Http404
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__)]
    )
    types = _types()
    lines = [f"pid {os.getpid()}, traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB"]
    before, before_types = _previous.get("snapshot"), _previous.get("types")
    if before is not None:
        key = request.GET.get("by", "traceback")
        top = int(request.GET.get("top", "15"))
        frames = int(request.GET.get("frames", "8"))
        diff = snapshot.compare_to(before, key)
        grown = sum(d.size_diff for d in diff)
        lines.append(f"grown since the previous call: {grown / 2**10:.0f} KiB")
        for stat in diff[:top]:
            lines.append(
                f"\n{stat.size_diff / 2**10:+9.1f} KiB {stat.count_diff:+7d} blocks"
                f" (now {stat.size / 2**10:.0f} KiB)"
            )
            lines.extend(f"    {line}" for line in stat.traceback.format(limit=frames))
        lines.append("\nlive objects by type, change since the previous call:")
        changes = sorted(((types[t] - before_types.get(t, 0)), t) for t in types)
        lines.extend(f"  {n:+8d} {t}" for n, t in reversed(changes[-top:]) if n > 0)
    _previous["snapshot"], _previous["types"] = snapshot, types
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
