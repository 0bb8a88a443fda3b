import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if os.environ.get("BENCH_TRACEMALLOC"):  # bench.soak --trace: what a worker allocates and keeps
    import tracemalloc

    tracemalloc.start(int(os.environ["BENCH_TRACEMALLOC"]))
application = get_wsgi_application()
