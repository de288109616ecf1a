#!/bin/sh
# Partnerwerk's production entrypoint (Dockerfile): migrate, collect the static files, then
# gunicorn with integratie/gunicorn.conf.py. Several web replicas may start at once: Django's
# migrate takes no lock, so set MIGRATE=0 on all but one (docs/operations.md).
# A command after the image name runs instead, with nothing before it, e.g.
# `docker run --rm -e ... partnerwerk python manage.py createsuperuser`.
set -e
if [ "$#" -gt 0 ]; then
    exec "$@"
fi
if [ "${MIGRATE:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi
python manage.py collectstatic --noinput -v0
exec gunicorn -c integratie/gunicorn.conf.py integratie.wsgi
