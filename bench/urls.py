import os

from django.http import HttpResponse
from django.urls import path

from cocrea.urls import urlpatterns as site_urls

from . import memory


def ok(request):
    return HttpResponse("ok")


def pid(request):  # which worker answered: bench.run waits until every worker has
    return HttpResponse(str(os.getpid()))


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/pid/", pid),
    path("bench/memory/", memory.report),  # answers 404 unless BENCH_TRACEMALLOC is set
    *site_urls,
]
