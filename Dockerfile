# The one image of Cocrea: web (gunicorn), worker and beat (Celery) run it with other commands
# (compose.yaml, docs/operations.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cocrea.settings.production PORT=8000
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext postgresql-client libjpeg62-turbo zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 cocrea
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only-$(python -c "print('x'*60)") DATABASE_URL=postgres://build/none \
    REDIS_URL=redis://build:6379/0 python manage.py collectstatic --noinput -v0 \
 && chown -R cocrea /app
USER cocrea
EXPOSE 8000
# Two sync workers per core is the starting point (docs/operations.md, "Sizing").
CMD ["sh", "-c", "gunicorn cocrea.wsgi -b 0.0.0.0:${PORT} -w ${WEB_CONCURRENCY:-4} --max-requests 5000 --max-requests-jitter 500 --access-logfile -"]
