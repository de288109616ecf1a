"""Who may use an API endpoint: the same roles as the matching page (default deny)."""

from rest_framework.permissions import BasePermission

from partnerships.access import role_of


def roles_for(view) -> tuple[str, ...]:
    """`action_roles[action]` if the view names one for this action, else `required_roles`."""
    action = getattr(view, "action", None)
    action_roles = getattr(view, "action_roles", {})
    if action in action_roles:
        return action_roles[action]
    return getattr(view, "required_roles", ())


class HasApiRole(BasePermission):
    """Admit only users whose role the view names; a view that names none admits nobody."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return role_of(request.user) in roles_for(view)
