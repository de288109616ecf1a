from partnerships.access import role_of


def navigation(request):
    """The current user's role, for the menu in base.html."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None}
