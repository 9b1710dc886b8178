# Digipunt Helpdesk: one image for web, worker and beat (docker-compose.yml; docs/deployment.md).
#   docker build -t digipunt-helpdesk .
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# psql for `manage.py dbshell` (backups run pg_dump in the postgres container, which matches the
# server version); psycopg itself ships libpq in its wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 digipunt \
    && useradd --system --uid 1000 --gid digipunt --home-dir /app --shell /usr/sbin/nologin digipunt

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# Code and collected static files stay owned by root: the service user can read, not change them.
# Beat keeps its schedule in Redis; the one writable place is MEDIA_ROOT, for guide screenshots
# (a volume in docker-compose.yml, owned by the service user).
RUN install -d -o digipunt -g digipunt -m 750 /var/lib/digipunt /var/lib/digipunt/media
ENV MEDIA_ROOT=/var/lib/digipunt/media
COPY . .
# Static files are collected into the image and served by WhiteNoise (hashed names, compressed).
# Settings need a SECRET_KEY when DEBUG is off; this one exists only for this build step.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789abcdefghijklmnop \
    python manage.py collectstatic --no-input -v0

USER digipunt
EXPOSE 8000
# The default command serves the web; compose runs worker and beat from the same image.
# Tune with GUNICORN_CMD_ARGS (e.g. "--workers 5"); FORWARDED_ALLOW_IPS trusts the proxy's
# X-Forwarded-* headers (the container is only reachable through the proxy).
ENV FORWARDED_ALLOW_IPS="*"
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--worker-class", "gthread", "--threads", "4", \
     "--timeout", "30", "--graceful-timeout", "30", \
     "--max-requests", "2000", "--max-requests-jitter", "200", \
     "--worker-tmp-dir", "/dev/shm"]
