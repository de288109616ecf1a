"""The load benchmark (issue 10): two gunicorn instances, locust headless, budgets checked.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_bench
    .venv/bin/python bench/generate.py --scale 1 --reset     # once; users included
    .venv/bin/python bench/load.py                           # or: make bench-load

Two scenarios of --duration seconds (default 30) with --users (16) each:
  realistic   every role (staff, caseworker, manager, administrator), 1–3 s think time:
              per-page response times against the budgets (p95); the caseworker also
              enrols a client and withdraws them again (this writes to the database);
  saturation  the mix of the issue, no think time: 8 staff sessions (module list, module
              detail, client list) and 8 caseworker sessions (open modules, client list),
              plus one user asking the floor view twice a second: throughput of the pages
              (floor left out) and p95 of the whole mix;
  ceiling     (only when asked: --scenarios ceiling) 16 users asking only the floor view,
              no think time: what this machine serves of a page that does nothing, the
              upper bound for the saturation mix; no budget.
Requests alternate between the two servers (ports --ports, --workers each, DEBUG=0,
MFA_REQUIRED=0, BENCH_STATS=1 for the SQL count/time and peak RSS headers); every user also
asks the floor view (/bench/floor) so that the framework's own cost is in the same run.
Results: bench/results/<date>-<scenario>.json; a table on stdout; exit status 1 when a
budget is missed.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
PASSWORD = "bench-password-2026"  # noqa: S105 - bench/generate.py's users, benchmark only

# (page name in the locustfile, percentile, budget in ms); the targets.
BUDGETS = [
    ("manager: report default", "95%", 250),
    ("admin: report 10 years by partner", "95%", 250),
    ("admin: XLSX 10 years by partner", "50%", 500),
    ("manager: home", "50%", 100),
    ("admin: agreements list", "95%", 150),
    ("admin: requests list", "95%", 150),
    ("admin: modules list", "95%", 150),
    ("admin: evaluations list", "95%", 150),
    ("admin: client list", "50%", 150),
    ("admin: admin participant changelist", "50%", 200),
    ("admin: admin enrolment changelist", "50%", 200),
    ("admin: admin attendance changelist", "50%", 200),
]
SATURATION = {"min_rps": 150, "p95_ms": 150}


def ids_file(path: Path) -> None:
    """Module ids for the detail pages, written by Django itself (the same DATABASE_URL)."""
    code = (
        "import json,sys,django,os;sys.path.insert(0,'.');"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','integratie.settings');django.setup();"
        "from django.contrib.auth import get_user_model as g;U=g();"
        "from modules import queries as q;"
        "s=U.objects.get(username='bench-staff');c=U.objects.get(username='bench-caseworker');"
        "from partnerships.queries import partnerships_visible_to as p;"
        "from modules.models import Module;"
        "m=list(Module.objects.filter(partnership__in=p(s)).values_list('pk',flat=True)[:300]);"
        "o=list(q.open_modules_for(c).values_list('pk',flat=True)[:300]);"
        "k=list(q.active_clients_for(c).filter(consent_withdrawn_on__isnull=True)"
        ".values_list('pk',flat=True)[:300]);"
        "d={'staff_modules':m,'open_modules':o,'clients':k};"
        f"open({str(path)!r},'w').write(json.dumps(d))"
    )
    subprocess.run([PY, "-c", code], cwd=ROOT, check=True)


def start_servers(ports, workers, threads, env) -> list[subprocess.Popen]:
    servers = []
    for port in ports:
        server_env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        log = open(ROOT / "var" / f"bench-gunicorn-{port}.log", "w")  # noqa: SIM115
        servers.append(
            subprocess.Popen(
                [PY, "-m", "gunicorn", "-c", "integratie/gunicorn.conf.py", "integratie.wsgi"],
                cwd=ROOT,
                env=server_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for port in ports:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"the server on port {port} did not answer /healthz")
    return servers


def log_in(ports) -> dict[str, str]:
    """The bench accounts' session ids: logged in on the first server, checked on the second."""
    import requests

    sessions = {}
    for username in ("bench-staff", "bench-caseworker", "bench-manager", "bench-admin"):
        session = requests.Session()
        first, second = (f"http://127.0.0.1:{port}" for port in ports)
        session.get(first + "/accounts/login/")
        session.post(
            first + "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
        )
        home = session.get(second + "/", allow_redirects=False)
        if home.status_code != 200:
            raise SystemExit(f"{username}: logged in on {first}, not on {second}")
        # The CSRF secret goes with the session: the enrol + withdraw task posts forms.
        sessions[username] = {
            "sessionid": session.cookies["sessionid"],
            "csrftoken": session.cookies["csrftoken"],
        }
    return sessions


def _stat(pid) -> list[str]:
    """/proc/<pid>/stat after the command name (state, ppid, …; `man 5 proc` numbers them
    from 3), or [] when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their reaped children (a PostgreSQL
    backend that exits hands its time to the postmaster), from /proc; 0 where unreadable."""
    ticks = sum(int(field) for pid in pids for field in _stat(pid)[11:15])  # u/s/cu/cs time
    return ticks / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def _process_groups(servers) -> dict[str, list[int]]:
    """The servers' processes (masters and workers) and PostgreSQL's (every backend too)."""
    groups: dict[str, list[int]] = {"servers": [], "postgresql": []}
    masters = {server.pid for server in servers}
    for entry in Path("/proc").iterdir():
        stat = _stat(entry.name) if entry.name.isdigit() else []
        if not stat:
            continue
        pid, parent = int(entry.name), int(stat[1])
        if pid in masters or parent in masters:
            groups["servers"].append(pid)
        elif _command(entry) == "postgres":  # comm: backends too (their title is in cmdline)
            groups["postgresql"].append(pid)
    return groups


def _command(entry: Path) -> str:
    try:
        return (entry / "comm").read_text().strip()
    except OSError:
        return ""


def cpu_split(servers, run) -> dict[str, float]:
    """Run `run()` and return the CPU seconds it cost the machine, split into the servers,
    PostgreSQL, the load generator (locust, a child of this process) and the rest (Linux)."""
    if not Path("/proc/stat").exists():
        run()
        return {}
    groups = _process_groups(servers)
    before = {name: _cpu_seconds(pids) for name, pids in groups.items()}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = _machine_busy_seconds()
    run()
    busy = _machine_busy_seconds() - busy
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    groups = _process_groups(servers)  # backends opened during the run count too
    split = {name: _cpu_seconds(groups[name]) - before[name] for name in groups}
    # A backend born during the run started at zero; one gone by the end is in the
    # postmaster's reaped time. Negative only if a process vanished unreaped: count zero.
    split = {name: max(seconds, 0.0) for name, seconds in split.items()}
    split["load generator"] = (after.ru_utime + after.ru_stime) - (
        children.ru_utime + children.ru_stime
    )
    split["other"] = max(busy - sum(split.values()), 0.0)
    split["machine"] = busy
    return split


def run_scenario(name, classes, think, args, env, ids, users=None) -> dict:
    prefix = ROOT / "var" / f"bench-{name}"
    server_out = ROOT / "var" / f"bench-{name}-server.json"
    hosts = ",".join(f"http://127.0.0.1:{port}" for port in args.ports)
    locust_env = {
        **env,
        "BENCH_HOSTS": hosts,
        "BENCH_THINK": think,
        "BENCH_IDS": str(ids),
        "BENCH_OUT": str(server_out),
        "BENCH_SESSIONS": json.dumps(args.sessions),
    }
    command = [
        PY, "-m", "locust", "-f", "bench/locustfile.py", "--headless",
        "-u", str(users or args.users), "-r", str(users or args.users), "-t", f"{args.duration}s",
        "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0", *classes,
    ]  # fmt: skip
    cpu = cpu_split(
        args.servers,
        lambda: subprocess.run(
            command, cwd=ROOT, env=locust_env, check=True, stdout=subprocess.DEVNULL
        ),
    )
    server = json.loads(server_out.read_text())
    pages = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            page = row["Name"]
            sql = server["server"].get(page, {"sql_queries": [], "sql_ms": []})
            pages[page] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "req_s": float(row["Requests/s"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "sql_queries_median": statistics.median(sql["sql_queries"])
                if sql["sql_queries"]
                else None,
                "sql_ms_median": statistics.median(sql["sql_ms"]) if sql["sql_ms"] else None,
            }
    requests = pages.get("Aggregated", {}).get("requests") or 1
    return {
        "pages": pages,
        "workers_peak_rss_kb": server["workers_peak_rss_kb"],
        # Where the machine's time went: CPU ms per request (all pages, the floor included).
        "cpu_ms_per_request": {part: round(1000 * s / requests, 2) for part, s in cpu.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--ports", type=int, nargs=2, default=[8101, 8102])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--scenarios", nargs="+", default=["realistic", "saturation"])
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the benchmark's PostgreSQL database (bench/README.md).")
    (ROOT / "var").mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MFA_REQUIRED": "0",
        "SECURE_COOKIES": "0",
        "BENCH_STATS": "1",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    }
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    ids = ROOT / "var" / "bench-ids.json"
    ids_file(ids)
    servers = start_servers(args.ports, args.workers, args.threads, env)
    args.servers = servers
    missed = []
    try:
        args.sessions = log_in(args.ports)
        for scenario in args.scenarios:
            if scenario == "realistic":
                result = run_scenario(
                    scenario, ["Staff", "Caseworker", "Manager", "Admin"], "1-3", args, env, ids
                )
                for page, percentile, budget in BUDGETS:
                    found = result["pages"].get(page)
                    key = "p95_ms" if percentile == "95%" else "p50_ms"
                    if found is None or found[key] > budget or found["failures"]:
                        missed.append(f"{scenario}: {page} {percentile} > {budget} ms")
            elif scenario == "ceiling":
                # No budget: the framework's own throughput on this machine, for comparison.
                result = run_scenario(scenario, ["FloorOnly"], "0", args, env, ids, 16)
                floor = result["pages"].get("floor", {})
                print(f"\n{scenario}: {floor.get('req_s', 0):.1f} req/s of the floor view alone")
            else:
                # The mix: 8 staff sessions (module list, module detail, client list)
                # and 8 caseworker sessions (open modules, client list) without think time,
                # plus one user asking the floor view twice a second (not counted in req/s).
                result = run_scenario(
                    scenario, ["StaffMix", "CaseworkerMix", "Floor"], "0", args, env, ids, 17
                )
                total = result["pages"].get("Aggregated", {})
                floor = result["pages"].get("floor", {})
                pages_rps = total.get("req_s", 0) - floor.get("req_s", 0)
                result["pages_req_s"] = pages_rps
                print(f"\n{scenario}: {pages_rps:.1f} req/s of pages (the floor view left out)")
                if pages_rps < SATURATION["min_rps"]:
                    missed.append(f"saturation: {pages_rps:.1f} req/s < 150")
                if total.get("p95_ms", 1e9) > SATURATION["p95_ms"]:
                    missed.append(f"saturation: p95 {total.get('p95_ms')} ms > 150")
            result["scenario"] = scenario
            result["settings"] = {
                "users": args.users,
                "duration_s": args.duration,
                "servers": len(args.ports),
                "workers_per_server": args.workers,
                "threads_per_worker": args.threads,
                "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
                "load_average": os.getloadavg(),
            }
            day = datetime.date.today().isoformat()
            (RESULTS / f"{day}-{scenario}.json").write_text(json.dumps(result, indent=1))
            print(f"\n{scenario}: page, req/s, p50, p95, p99 ms, failures, SQL queries, SQL ms")
            for page, row in sorted(result["pages"].items()):
                print(
                    f"  {page:<40} {row['req_s']:6.1f} {row['p50_ms']:6.0f} {row['p95_ms']:6.0f}"
                    f" {row['p99_ms']:6.0f} {row['failures']:4} {row['sql_queries_median']}"
                    f" {row['sql_ms_median']}"
                )
            split = result["cpu_ms_per_request"]
            if split:
                print("  CPU ms per request: " + ", ".join(f"{k} {v}" for k, v in split.items()))
            peaks = sorted(result["workers_peak_rss_kb"].values())
            print(f"  peak RSS per worker (MB): {[round(kb / 1024) for kb in peaks]}")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    if missed:
        print("\nBudgets missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nEvery budget met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
