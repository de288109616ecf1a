"""Model fields that store Belgian numbers in compact form, whatever the user typed."""

from django.db import models
from stdnum.be import nn, vat

from .validators import validate_enterprise_number, validate_national_register_number


class EnterpriseNumberField(models.CharField):
    """A KBO enterprise number, stored as 10 digits; typed with dots, spaces or 'BE'."""

    default_validators = [validate_enterprise_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return vat.compact(value) if value else value

    def formfield(self, **kwargs):
        # Users type dots and spaces; the form accepts the longer input, to_python compacts it.
        kwargs.setdefault("max_length", 20)
        return super().formfield(**kwargs)


class NationalRegisterNumberField(models.CharField):
    """A national register number, stored as 11 digits or NULL (optional, unique when given)."""

    default_validators = [validate_national_register_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return nn.compact(value) if value else None

    def get_prep_value(self, value):
        # Empty strings become NULL so that "unique when given" holds.
        return super().get_prep_value(value) or None

    def formfield(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        return super().formfield(**kwargs)
