# Partnerwerk, production image: gunicorn on port 8000, run as a non-root user.
# At start: migrate and collectstatic, then gunicorn (docker/entrypoint.sh,
# integratie/gunicorn.conf.py). Built with Docker's built-in frontend: no heredoc, no
# external syntax image, so it builds behind a registry mirror or offline.

# Stage 1: the front-end packages (npm ci). Node and npm stay in this stage; only
# node_modules goes into the image. Same base image as below, so one image to mirror.
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# Stage 2: the image. The .mo files are in the repo: no gettext needed.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

WORKDIR /app

# The dependencies of pyproject.toml only, in a layer of their own: a change to the code
# does not reinstall them. The code runs from /app (manage.py and gunicorn put it first on
# the path), so the project itself is not installed.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY --from=assets /app/node_modules ./node_modules
COPY integratie ./integratie
COPY partnerships ./partnerships
COPY twofactor ./twofactor
COPY modules ./modules
COPY api ./api
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale

RUN useradd --system --uid 10001 --home-dir /app partnerwerk \
    && mkdir -p /app/staticfiles /data/media \
    && chown -R partnerwerk /app/staticfiles /data

COPY docker/entrypoint.sh /usr/local/bin/docker-entrypoint
RUN chmod 0755 /usr/local/bin/docker-entrypoint

USER partnerwerk
VOLUME ["/data/media"]
EXPOSE 8000
ENTRYPOINT ["/usr/local/bin/docker-entrypoint"]
