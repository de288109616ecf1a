#!/usr/bin/env bash
# Lighthouse (mobile: throttled phone, the default form factor) on every role's main pages.
# Slow (about 20 s a page), so not part of `make test`: run `make lighthouse` or
#   bench/lighthouse.sh            # starts gunicorn as in production (DEBUG off) on $PORT
# Needs `make install` (lighthouse is a pinned devDependency) and Chromium at $CHROME_PATH.
# Prints one line per page: performance, accessibility, best practices (0-100).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8450}"
BASE="http://127.0.0.1:${PORT}"
OUT="${OUT:-var/lighthouse}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PY=.venv/bin/python
mkdir -p "$OUT"

# The demo data (as `make run`), then the server as in production.
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo --if-empty >/dev/null

# Production-like: DEBUG off, compressed and hashed static files served by WhiteNoise,
# gunicorn; plain http on localhost, so cookies without the Secure flag.
export DEBUG=0 SECURE_COOKIES=0 MFA_REQUIRED=0 ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY="${SECRET_KEY:-lighthouse-run-only-$(date +%s)-0123456789abcdefghijklmnop}"
export STATIC_ROOT="${STATIC_ROOT:-$PWD/var/lighthouse-static}"
$PY manage.py collectstatic --noinput -v0
.venv/bin/gunicorn integratie.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --log-level warning &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "$BASE/accounts/login/" && break; sleep 0.2; done

# Log in as a person would (the login form with its CSRF token); prints the session cookie.
session_for() {
  local jar="$OUT/cookies-$1.txt" token
  rm -f "$jar"
  token=$(curl -fs -c "$jar" "$BASE/accounts/login/" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null -e "$BASE/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$1" \
    --data-urlencode "password=demo" "$BASE/accounts/login/"
  awk '$6 == "sessionid" {print "sessionid=" $7}' "$jar"
}

audit() {  # audit NAME URL [COOKIE]
  local headers="{}"
  # The same page's HTML for the Nu checker below.
  curl -fs ${3:+-b "$3"} -o "$OUT/$1.html" "$BASE$2" || true
  [ -n "${3:-}" ] && headers="{\"Cookie\": \"$3\"}"
  # A trace that Lighthouse fails to record (NO_NAVSTART on a busy machine) is run again once.
  for attempt in 1 2; do
    node_modules/.bin/lighthouse "$BASE$2" --quiet --output=json --output-path="$OUT/$1.json" \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --extra-headers="$headers" >/dev/null 2>&1 || true
    if $PY - "$OUT/$1.json" "$1" "$2" "$attempt" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    report = {"runtimeError": {"code": "no report"}}
error = report.get("runtimeError")
if error and sys.argv[4] == "1":
    sys.exit(3)  # try once more
if error:
    print(f"{sys.argv[2]:<22} {sys.argv[3]:<32} lighthouse failed: {error.get('code')}")
    sys.exit()
c = report["categories"]
score = lambda k: round((c[k]["score"] or 0) * 100)
final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
moved = "" if final.endswith(sys.argv[3]) else f"  (ended at {final})"
print(f"{sys.argv[2]:<22} {sys.argv[3]:<32} performance {score('performance'):>3}  "
      f"accessibility {score('accessibility'):>3}  best practices {score('best-practices'):>3}{moved}")
PY
    then break; fi
  done
}

MODULE=$($PY manage.py shell -v0 -c "from partnerships.models import User; from modules.queries import modules_visible_to; print(modules_visible_to(User.objects.get(username='staff')).filter(status='open').order_by('pk').first().pk)" 2>/dev/null | tail -1)

echo "Lighthouse $(node_modules/.bin/lighthouse --version), mobile, $BASE"
audit login /accounts/login/
STAFF=$(session_for staff)
audit staff-home / "$STAFF"
audit module-list /modules/ "$STAFF"
audit module-page "/modules/$MODULE/" "$STAFF"
audit staff-client-list /clients/ "$STAFF"
CASEWORKER=$(session_for caseworker)
audit caseworker-home / "$CASEWORKER"
audit client-list /clients/ "$CASEWORKER"
MANAGER=$(session_for manager)
audit manager-home / "$MANAGER"
audit report /reports/yearly/ "$MANAGER"

# The W3C Nu Html Checker (vnu.jar from the npm package vnu-jar, needs Java) on the same pages.
if command -v java >/dev/null; then
  if java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only "$OUT"/*.html 2>"$OUT/vnu.txt"; then
    echo "Nu Html Checker: 0 errors on $(ls "$OUT"/*.html | wc -l) pages"
  elif grep -q 'error:' "$OUT/vnu.txt"; then
    echo "Nu Html Checker: $(grep -c 'error:' "$OUT/vnu.txt") errors (see $OUT/vnu.txt)"
    exit 1
  else
    echo "Nu Html Checker did not run: $(head -1 "$OUT/vnu.txt")"
    exit 1
  fi
else
  echo "Nu Html Checker: skipped (no java)"
fi
