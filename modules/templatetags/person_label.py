"""`{% person participant %}`: a client's name with what tells them from another client of
the same name (birth year, organisation, client number), the one way lists show people."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/person.html")
def person(participant, link=""):
    return {"participant": participant, "details": participant.distinguishing_details, "link": link}
