"""`/healthz` for load balancers and orchestrators (issue 10): 200 when the database answers
and no migration is pending, 503 otherwise. No login, no personal data, no cookies: only
"ok" or what is wrong, in a few words."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "database unavailable"}, status=503)
    if pending:
        return JsonResponse({"status": "migrations pending"}, status=503)
    return JsonResponse({"status": "ok"})


def floor(request):
    """The benchmark's floor (BENCH_STATS=1 only): Django's cost of a request doing nothing."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")
