"""Helpers for the API tests: a client that authenticates with a real personal token."""

from rest_framework.test import APIClient

from api.services import create_api_token


def token_client(user, *, days: int = 30, language: str | None = None) -> APIClient:
    """An API client sending `Authorization: Bearer <token>` for a new token of `user`."""
    _token, secret = create_api_token(user=user, name="test", days=days)
    client = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    client.credentials(**headers)
    client.secret = secret
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()["results"]
