"""The authentication backend: Django's ModelBackend, loading the user's membership (role
and scope) with the user in the one query every request makes anyway. Almost every page
asks `role_of(user)`; this saves a query per request (docs/performance.md)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("membership")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
