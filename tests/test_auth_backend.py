"""partnerships.auth.MembershipBackend: the user of every request comes with their
membership (role and scope) in one query, and an inactive user is not let in (issue 10)."""

from partnerships.access import role_of
from partnerships.auth import MembershipBackend


def test_the_users_role_needs_no_query_of_its_own(staff_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = MembershipBackend().get_user(staff_a.pk)
    with django_assert_num_queries(0):
        assert role_of(user) == "staff"
        assert user.membership.office_id == staff_a.membership.office_id


def test_an_inactive_or_unknown_user_is_nobody(staff_a):
    staff_a.is_active = False
    staff_a.save()
    assert MembershipBackend().get_user(staff_a.pk) is None
    assert MembershipBackend().get_user(10**9) is None


def test_a_logged_in_page_uses_this_backend(client, staff_a):
    client.force_login(staff_a)
    assert client.session["_auth_user_backend"] == "partnerships.auth.MembershipBackend"
