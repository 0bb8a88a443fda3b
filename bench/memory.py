"""`/bench/memory/` on the bench server (bench.soak --trace): what this worker holds now that it
did not hold at the previous call, by allocation site (tracemalloc, after a full collection) and
by type of live object (gc). Only when the server runs with BENCH_TRACEMALLOC=<frames>; the
first call starts tracing (so the warm-up before it costs nothing) and is the baseline. With
BENCH_TRACEMALLOC=0, only the counts (objects, allocated blocks, our caches' sizes) and types."""

import collections
import gc
import os
import sys
import tracemalloc
import weakref

from django.http import Http404, HttpResponse

_previous = {}


def _types():
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def _caches():
    """The sizes of the process-wide caches of ours that fill while serving."""
    from ideas import markup

    return {
        "markdown": f"{len(markup._recent_html.items)} ({markup._recent_html.size >> 10} KiB)",
        "plain_text": f"{len(markup._recent_plain.items)} ({markup._recent_plain.size >> 10} KiB)",
        "finalizers": len(weakref.finalize._registry),
    }


def report(request):
    if os.environ.get("BENCH_TRACEMALLOC") is None:
        raise Http404
    frames = int(os.environ["BENCH_TRACEMALLOC"] or 0)
    gc.collect()
    if frames and not tracemalloc.is_tracing():
        tracemalloc.start(frames)
    snapshot = tracemalloc.take_snapshot() if frames else None
    types = _types()
    lines = [
        f"pid {os.getpid()}: {sum(types.values())} objects, {sys.getallocatedblocks()} blocks, "
        + ", ".join(f"{k} {v}" for k, v in _caches().items())
        + (f", traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB" if frames else "")
    ]
    before, before_types = _previous.get("snapshot"), _previous.get("types")
    if before is not None:
        key = request.GET.get("by", "traceback")
        top = int(request.GET.get("top", "15"))
        diff = snapshot.compare_to(before, key)
        grown = sum(d.size_diff for d in diff)
        lines.append(f"grown since the previous call: {grown / 2**10:.0f} KiB")
        for stat in diff[:top]:
            lines.append(
                f"\n{stat.size_diff / 2**10:+9.1f} KiB {stat.count_diff:+7d} blocks"
                f" (now {stat.size / 2**10:.0f} KiB)"
            )
            lines.extend(f"    {line}" for line in stat.traceback.format(limit=frames))
    if before_types is not None:
        lines.append("\nlive objects by type, change since the previous call:")
        changes = sorted(((types[t] - before_types.get(t, 0)), t) for t in types)
        lines.extend(f"  {n:+8d} {t}" for n, t in reversed(changes[-15:]) if n > 0)
    _previous["snapshot"], _previous["types"] = snapshot, types
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
