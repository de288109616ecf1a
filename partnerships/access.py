"""Roles and scope, from `Membership`: the one place that says who may do what.

A view states the roles it admits with `required_roles` on `RoleRequiredMixin`
(default deny). Querysets are scoped by the `*_visible_to(user)` functions in each
app's `queries.py`, which build on the helpers here.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .models import Membership

STAFF = Membership.Role.STAFF
MANAGER = Membership.Role.MANAGER
CASEWORKER = Membership.Role.CASEWORKER
ADMIN = "admin"  # superusers: not a Membership role, but may use every screen


def membership_of(user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> str | None:
    """'staff', 'manager', 'caseworker', 'admin' (superuser without membership) or None."""
    membership = membership_of(user)
    if membership is not None:
        return membership.role
    if user is not None and user.is_authenticated and user.is_superuser:
        return ADMIN
    return None


def office_id_of(user) -> int | None:
    """The office a staff member or office-bound manager works for; None otherwise."""
    membership = membership_of(user)
    return membership.office_id if membership else None


def organisation_id_of(user) -> int | None:
    """The partner organisation a caseworker works for; None otherwise."""
    membership = membership_of(user)
    if membership and membership.role == CASEWORKER:
        return membership.organisation_id
    return None


def sees_all_offices(user) -> bool:
    """Superusers and managers without an office see every office's records."""
    role = role_of(user)
    if role == ADMIN:
        return True
    membership = membership_of(user)
    return bool(membership and membership.role == MANAGER and membership.office_id is None)


def office_of(user):
    """The staff member's office; None for an administrator, who chooses one in a form."""
    membership = membership_of(user)
    return membership.office if membership and membership.office_id else None


class RoleRequiredMixin(LoginRequiredMixin):
    """Admit only users whose role is in `required_roles`; everyone else gets 403.

    Default deny: a view that forgets to set `required_roles` admits nobody.
    """

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if role_of(request.user) not in self.required_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    """Staff screens admit agency staff and administrators; everyone else gets 403."""

    required_roles = (STAFF, ADMIN)
