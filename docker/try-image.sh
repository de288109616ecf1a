#!/bin/bash
# Try the production image on one machine (docs/operations.md, "The image, tried"): build it,
# run REPLICAS containers of it against one fresh PostgreSQL database on ports PORT, PORT+1, …
# (what `docker compose up --scale web=N` runs behind its proxy), and check that
#   - the first one migrates, the others start with MIGRATE=0; gunicorn runs as the non-root
#     user and its log has no error;
#   - each answers 200 on /healthz, /accounts/login/ and two static files;
#   - a login made through one replica (password, then a recovery code: MFA stays on) is valid
#     on the others, and a logout through one ends it on the others.
# Not part of `make test`: it needs a Docker engine (/work/shared/tools/docker-local-base or
# a real one), curl, createdb/dropdb and a PostgreSQL the containers reach with --network host.
# It drops and recreates the database DB; the containers are removed on exit.
#
#   docker/try-image.sh [REPLICAS]       (default 3; from the repository root)
#   env: DOCKER (/usr/bin/docker), BUILD=0 (use the existing image), PGHOST (127.0.0.1),
#        PGPORT (5432), PGUSER (postgres), PGPASSWORD, DB (pw_docker), PORT (8300)
set -euo pipefail
REPLICAS=${1:-3}
DOCKER=${DOCKER:-/usr/bin/docker}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=${DB:-pw_docker}
PORT=${PORT:-8300}
IMAGE=partnerwerk
DATABASE_URL="postgres://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$PGHOST:$PGPORT/$DB"
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
JAR=$(mktemp)
FAILED=0
ENV=(-e "DATABASE_URL=$DATABASE_URL" -e "SECRET_KEY=$SECRET_KEY"
     -e ALLOWED_HOSTS=127.0.0.1,localhost -e GUNICORN_WORKERS=2)

cleanup() {
    for i in $(seq "$REPLICAS"); do "$DOCKER" rm -f "pw_try_$i" >/dev/null 2>&1 || true; done
    rm -f "$JAR"
}
trap cleanup EXIT

expect() {  # expect WANT WHAT CURL-ARGS…: one request with the cookie jar, status checked
    local want=$1 what=$2 got
    shift 2
    got=$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' "$@")
    if [[ $got == "$want"* ]]; then echo "ok   $what: $got"; else echo "FAIL $what: $got (want $want)"; FAILED=1; fi
}
csrf() { awk '$6 == "csrftoken" {print $7}' "$JAR" | tail -1; }
manage() { "$DOCKER" run --rm --network host "${ENV[@]}" "$@"; }

if [ "${BUILD:-1}" = 1 ]; then
    start=$(date +%s)
    DOCKER_BUILDKIT=1 "$DOCKER" build --network host -q -t "$IMAGE" . >/dev/null
    echo "build: $(($(date +%s) - start)) s"
fi
echo "image: $("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1 / 1e6}')"
"$DOCKER" run --rm "$IMAGE" sh -c 'python --version; pip --version | cut -d" " -f1-2; gunicorn --version;
    python -c "import django; print(\"Django\", django.__version__)"'

dropdb --if-exists "$DB" && createdb "$DB"
for i in $(seq "$REPLICAS"); do
    port=$((PORT + i - 1))
    migrate=$([ "$i" = 1 ] && echo 1 || echo 0)
    "$DOCKER" run -d --name "pw_try_$i" --network host "${ENV[@]}" -e "MIGRATE=$migrate" \
        -e "GUNICORN_BIND=127.0.0.1:$port" "$IMAGE" >/dev/null
    start=$(date +%s)
    until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
        [ $(($(date +%s) - start)) -lt 120 ] || { "$DOCKER" logs "pw_try_$i"; exit 1; }
        sleep 1
    done
    echo "replica $i on :$port (MIGRATE=$migrate) healthy after $(($(date +%s) - start)) s"
done

for i in $(seq "$REPLICAS"); do
    base=http://127.0.0.1:$((PORT + i - 1))
    for path in /healthz /accounts/login/ /static/css/partnerwerk.css \
        /static/vendor/bootstrap/css/bootstrap.min.css; do
        expect 200 "replica $i $path" "$base$path"
    done
done

# An administrator with an authenticator and one known recovery code (MFA stays required).
manage -e DJANGO_SUPERUSER_USERNAME=trial -e DJANGO_SUPERUSER_PASSWORD=trial-pass-4821 \
    -e DJANGO_SUPERUSER_EMAIL=trial@example.invalid "$IMAGE" python manage.py createsuperuser --noinput
manage "$IMAGE" python manage.py shell -v0 -c "
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.get(username='trial')
TOTPDevice.objects.create(user=user, name='authenticator', confirmed=True)
device = StaticDevice.objects.create(user=user, name='recovery codes', confirmed=True)
StaticToken.objects.create(device=device, token='trialcode1')"

first=http://127.0.0.1:$PORT
last=http://127.0.0.1:$((PORT + REPLICAS - 1))
mid=http://127.0.0.1:$((PORT + REPLICAS / 2))
expect 200 "replica 1: login page" "$first/accounts/login/"
expect 302 "replica 1: password" -d "username=trial&password=trial-pass-4821&csrfmiddlewaretoken=$(csrf)" "$first/accounts/login/"
expect "302 $last/account/two-factor/verify/" "replica $REPLICAS: /admin/ asks the second step" "$last/admin/"
expect 302 "replica $((REPLICAS / 2 + 1)): recovery code" -d "token=trialcode1&csrfmiddlewaretoken=$(csrf)" "$mid/account/two-factor/verify/"
for i in $(seq "$REPLICAS"); do
    expect 200 "replica $i: /admin/ logged in" "http://127.0.0.1:$((PORT + i - 1))/admin/"
done
expect 302 "replica $REPLICAS: logout" -d "csrfmiddlewaretoken=$(csrf)" "$last/accounts/logout/"
expect "302 $first/accounts/login/" "replica 1: / after the logout" "$first/"

for i in $(seq "$REPLICAS"); do
    name=pw_try_$i
    users=$("$DOCKER" top "$name" -eo pid,user | awk 'NR > 1 {print $2}' | sort -u | tr '\n' ' ')
    errors=$("$DOCKER" logs "$name" 2>&1 | grep -v '^  Applying' | grep -ciE 'error|traceback|denied' || true)
    echo "replica $i: processes run as uid $users; error lines in the log: $errors"
    [ "$errors" = 0 ] || { "$DOCKER" logs "$name" 2>&1 | grep -iE 'error|traceback|denied'; FAILED=1; }
done
"$DOCKER" logs pw_try_1 2>&1 | grep -E 'Starting gunicorn|Listening at' || true
echo "database connections to $DB: $(psql -d postgres -Atc \
    "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'")"
"$DOCKER" stats --no-stream --format '{{.Name}}: {{.MemUsage}}' $(seq -f 'pw_try_%g' "$REPLICAS")
[ "$FAILED" = 0 ] && echo "all checks passed" || { echo "some checks FAILED"; exit 1; }
