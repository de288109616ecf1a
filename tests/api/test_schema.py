"""The OpenAPI schema is valid and documents every endpoint; the docs page works under the
strict Content-Security-Policy, from the project's own static files."""

import io
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema() -> dict:
    out = io.StringIO()
    # --fail-on-warn: a view whose serializer, filter or parameters cannot be read fails here.
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    return yaml.safe_load(out.getvalue())


def api_routes() -> dict[str, set[str]]:
    """Every path under /api/v1/ in the URL configuration, with the methods it answers."""
    routes: dict[str, set[str]] = {}

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
                actions = getattr(entry.callback, "actions", None)
                view = entry.callback.cls
                methods = set(actions) if actions else {m for m in HTTP_METHODS if hasattr(view, m)}
                methods &= set(HTTP_METHODS)  # not HEAD (answered as GET)
                routes.setdefault(_openapi_path(route), set()).update(methods)

    walk(get_resolver().url_patterns, "")
    return routes


def _openapi_path(route: str) -> str:
    """'^api/v1/clients/(?P<pk>[^/.]+)/$' -> '/api/v1/clients/{id}/'"""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<pk>[^)]*\)|<int:pk>", "{id}", route)
    return "/" + route


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Partnerwerk API"


def test_every_api_endpoint_and_method_is_in_the_schema(schema):
    routes = api_routes()
    documented = {
        path: {method for method in item if method in HTTP_METHODS}
        for path, item in schema["paths"].items()
    }

    assert len(routes) >= 15
    assert routes == documented


def test_every_operation_is_described_with_its_answers(schema):
    undocumented = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            if not operation.get("summary") or not operation.get("description", "").strip():
                undocumented.append(f"{method.upper()} {path}: no summary or description")
            codes = set(operation["responses"])
            success = {"200", "201", "204"} & codes
            if not success or not {"401", "403"} <= codes:
                undocumented.append(f"{method.upper()} {path}: responses {sorted(codes)}")
            for code in success:
                if "content" not in operation["responses"][code] and code != "204":
                    undocumented.append(f"{method.upper()} {path}: {code} without a body schema")
            if operation.get("security") is None and "security" not in schema:
                undocumented.append(f"{method.upper()} {path}: no authentication")

    assert undocumented == []


def test_the_schema_never_shows_a_national_register_number_in_an_answer(schema):
    for name, component in schema["components"]["schemas"].items():
        properties = component.get("properties", {})
        if "national_register_number" in properties and not name.endswith("Request"):
            assert name == "NationalNumber", name  # only the logged reveal returns it


def test_the_token_scheme_is_documented(schema):
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_schema_and_docs_are_public_and_the_docs_use_no_inline_script(client, db):
    schema_response = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema_response.status_code == 200
    assert b"/api/v1/enrolments/" in schema_response.content
    assert docs.status_code == 200
    page = docs.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts, "the docs page loads its scripts"
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert "<style" not in page and " style=" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/js/api-docs.js" in page
    assert 'data-schema-url="/api/schema/"' in page
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    for path in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "js/api-docs.js",
    ):
        assert finders.find(path), path
