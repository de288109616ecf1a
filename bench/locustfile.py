"""Load scenarios for `bench/load.py` (locust, headless). Not run on its own: load.py starts
the servers, writes the ids file and sets the environment below.

Every user logs in once and then alternates its requests between the servers in BENCH_HOSTS
(two gunicorn instances on one PostgreSQL): the session cookie works on both, so the web
tier keeps no state. Think time: BENCH_THINK="1-3" (realistic) or "0" (saturation). Every
response of the servers (started with BENCH_STATS=1) carries its SQL count and time and the
worker's peak RSS; they are collected per page into BENCH_OUT (JSON) at the end.
"""

import itertools
import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

HOSTS = os.environ.get("BENCH_HOSTS", "http://127.0.0.1:8101").split(",")
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
IDS = json.loads(Path(os.environ["BENCH_IDS"]).read_text()) if os.environ.get("BENCH_IDS") else {}
THINK = os.environ.get("BENCH_THINK", "1-3")
SERVER = defaultdict(lambda: {"sql_queries": [], "sql_ms": []})
WORKERS: dict[str, int] = {}
_turn = itertools.count()


def _wait():
    if THINK == "0":
        return constant(0)
    low, high = (float(x) for x in THINK.split("-"))
    return between(low, high)


@events.request.add_listener
def _collect(name, response, exception, **kwargs):
    if exception or response is None:
        return
    headers = response.headers
    if "X-SQL-Queries" in headers:
        SERVER[name]["sql_queries"].append(int(headers["X-SQL-Queries"]))
        SERVER[name]["sql_ms"].append(float(headers["X-SQL-Time-ms"]))
        pid = headers.get("X-Worker-Pid", "?")
        WORKERS[pid] = max(WORKERS.get(pid, 0), int(headers.get("X-Worker-Peak-RSS-kB", 0)))


# Logged in once per account by bench/load.py before the run (password hashing is slow by
# design): every simulated user of an account shares its session, on both servers.
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))


@events.quitting.add_listener
def _write(environment, **kwargs):
    out = os.environ.get("BENCH_OUT")
    if not out:
        return
    with open(out, "w") as handle:
        json.dump({"server": SERVER, "workers_peak_rss_kb": WORKERS}, handle)


class BenchUser(FastHttpUser):
    """geventhttpclient (FastHttpUser), not requests: the load generator runs on the same two
    cores as the servers and costs several times less CPU per request this way."""

    abstract = True
    host = HOSTS[0]
    username = ""
    wait_time = _wait()

    def url(self, path: str) -> str:
        return HOSTS[next(_turn) % len(HOSTS)] + path

    def get(self, path: str, name: str):
        with self.client.get(
            self.url(path),
            name=name,
            headers=self.cookie,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (301, 302):
                response.failure(f"redirected to {response.headers.get('location')}")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def on_start(self):
        # The same session on both servers: sent as a header, as the browser would.
        cookies = SESSIONS[self.username]
        self.csrf = cookies["csrftoken"]
        self.cookie = {"Cookie": f"sessionid={cookies['sessionid']}; csrftoken={self.csrf}"}

    def fetch(self, path: str, name: str, data: dict | None = None) -> str:
        """GET, or POST a form (with the CSRF token), through either server; the page's text.
        A redirect (the answer to a successful POST) counts as success."""
        method = self.client.post if data is not None else self.client.get
        extra = {"data": {"csrfmiddlewaretoken": self.csrf, **data}} if data is not None else {}
        with method(
            self.url(path),
            name=name,
            headers=self.cookie,
            allow_redirects=False,
            catch_response=True,
            **extra,
        ) as response:
            location = response.headers.get("location") or ""
            if response.status_code == 302 and data is not None and "/accounts/" not in location:
                response.success()
            elif response.status_code != 200:
                response.failure(f"status {response.status_code} {location}")
            return response.text or ""

    def floor(self):
        self.get("/bench/floor", "floor")


class Floor(BenchUser):
    """One user asking the floor view (a view that does nothing) twice a second in the
    saturation run: the framework's own cost under the same load, without adding to it."""

    fixed_count = 1
    username = "bench-staff"
    wait_time = constant(0.5)

    @task
    def floor_view(self):
        self.floor()


class Staff(BenchUser):
    """Staff of the biggest office: the planning pages."""

    username = "bench-staff"

    @task(1)
    def floor_view(self):
        self.floor()

    @task(3)
    def module_list(self):
        self.get("/modules/", "staff: module list")

    @task(3)
    def module_detail(self):
        self.get(f"/modules/{random.choice(IDS['staff_modules'])}/", "staff: module detail")

    @task(1)
    def home(self):
        self.get("/", "staff: home")

    @task(1)
    def agreements(self):
        self.get("/agreements/", "staff: agreements")

    @task(1)
    def requests(self):
        self.get("/requests/", "staff: requests")

    @task(1)
    def evaluations(self):
        self.get("/evaluations/", "staff: evaluations")

    @task(1)
    def clients(self):
        self.get("/clients/", "staff: client list")


class Caseworker(BenchUser):
    """Caseworker of the partner with ~1,000 clients."""

    username = "bench-caseworker"

    @task(1)
    def floor_view(self):
        self.floor()

    @task(3)
    def open_modules(self):
        self.get("/open-modules/", "caseworker: open modules")

    @task(2)
    def open_module(self):
        module = random.choice(IDS["open_modules"])
        self.get(f"/open-modules/{module}/", "caseworker: open module detail")

    @task(3)
    def clients(self):
        self.get("/clients/", "caseworker: client list")

    @task(1)
    def home(self):
        self.get("/", "caseworker: home")

    @task(1)
    def enrol_and_withdraw(self):
        """Enrol a client in the first module offered, then withdraw them again (the
        enrolment stays, withdrawn; the place goes back)."""
        client = random.choice(IDS["clients"])
        form = self.fetch(f"/clients/{client}/enrol/", "caseworker: enrol form")
        offered = re.search(r'name="module" value="(\d+)"', form)
        if not offered:
            return  # already in every open module
        self.fetch(f"/clients/{client}/enrol/", "caseworker: enrol (POST)", {"module": offered[1]})
        page = self.fetch(f"/clients/{client}/", "caseworker: client detail")
        links = [int(pk) for pk in re.findall(r"/enrolments/(\d+)/withdraw/", page)]
        if links:
            self.fetch(
                f"/enrolments/{max(links)}/withdraw/", "caseworker: withdraw (POST)", {"reason": ""}
            )


class Manager(BenchUser):
    """Manager of one office; the report and its exports."""

    username = "bench-manager"

    @task(1)
    def floor_view(self):
        self.floor()

    @task(3)
    def home(self):
        self.get("/", "manager: home")

    @task(2)
    def report(self):
        self.get("/reports/yearly/", "manager: report default")

    @task(1)
    def report_theme(self):
        self.get("/reports/yearly/?breakdown=theme", "manager: report by theme")


class Admin(BenchUser):
    """The administrator sees every office: the biggest lists and the report of everything."""

    username = "bench-admin"

    @task(1)
    def floor_view(self):
        self.floor()

    @task(2)
    def report_partner(self):
        years = "year_from=2017&year_to=2026&breakdown=partner"
        self.get(f"/reports/yearly/?{years}", "admin: report 10 years by partner")

    @task(1)
    def xlsx(self):
        years = "year_from=2017&year_to=2026&breakdown=partner"
        self.get(f"/reports/yearly/?{years}&export=xlsx", "admin: XLSX 10 years by partner")

    @task(1)
    def csv(self):
        years = "year_from=2017&year_to=2026&breakdown=partner"
        self.get(f"/reports/yearly/?{years}&export=csv", "admin: CSV 10 years by partner")

    @task(2)
    def clients(self):
        self.get("/clients/", "admin: client list")

    @task(1)
    def lists(self):
        for path in ("/agreements/", "/requests/", "/modules/", "/evaluations/"):
            self.get(path, f"admin: {path.strip('/')} list")

    @task(1)
    def admin_lists(self):
        for model in ("participant", "enrolment", "attendance"):
            self.get(f"/admin/modules/{model}/", f"admin: admin {model} changelist")


# The saturation mix: the same page tasks as above (a User subclass would inherit
# all of its base's tasks), fewer of them, equally often.
class StaffMix(BenchUser):
    """Saturation, staff half: module list, module detail, client list."""

    fixed_count = 8
    username = Staff.username
    tasks = [Staff.module_list, Staff.module_detail, Staff.clients]


class CaseworkerMix(BenchUser):
    """Saturation, caseworker half: open modules and the client list."""

    fixed_count = 8
    username = Caseworker.username
    tasks = [Caseworker.open_modules, Caseworker.clients]


class FloorOnly(BenchUser):
    """The ceiling scenario: 16 users asking only the floor view, no think time. What this
    machine serves of a page that does nothing (session, user, middleware; no template):
    the upper bound for the saturation mix (docs/performance.md)."""

    fixed_count = 16
    username = Staff.username
    tasks = [BenchUser.floor]
