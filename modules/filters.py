"""List filters (django-filter) for the modules app, one section per audience."""

import django_filters  # noqa: F401

# --- planning (staff): modules, sessions ---------------------------------------------


# --- requests and evaluations (staff) ---------------------------------------------------


# --- participants (caseworkers): clients, open modules ----------------------------------


# --- reports ---------------------------------------------------------------------------
