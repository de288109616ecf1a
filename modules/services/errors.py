"""The one `DomainError`: defined in the bottom layer (partnerships) so both apps raise and
catch the same class."""

from partnerships.services import DomainError  # noqa: F401
