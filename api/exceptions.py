"""Every API error is JSON: `detail` says what is wrong in the user's language, `fields`
names the fields (for input errors), `code` is stable for programs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from modules.services import DomainError


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        # A business rule refused the request (closed module, already enrolled, a number that
        # is taken, …): the same message as the page shows, with 409 Conflict, and the field
        # when the rule names one.
        body = {"detail": " ".join(exc.messages), "code": "refused"}
        if hasattr(exc, "error_dict"):
            body["fields"] = exc.message_dict
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        # The same words for every missing or hidden object (not the model's English name).
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {
            "detail": _("The request has errors: %(errors)s")
            % {"errors": " ".join(_messages(fields))},
            "code": "invalid",
            "fields": fields,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        code = getattr(response.data["detail"], "code", None) or getattr(exc, "default_code", "")
        response.data = {"detail": str(response.data["detail"]), "code": code}
    return response
