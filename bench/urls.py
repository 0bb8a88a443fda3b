from django.http import HttpResponse
from django.urls import path

from cocrea.urls import urlpatterns as site_urls


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", ok), *site_urls]
