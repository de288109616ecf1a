from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the action; the message is for the user, in their language."""
