from django import template

from guides import permissions, services

register = template.Library()


@register.simple_tag(takes_context=True)
def appointment_guides(context, appointment):
    """The published guides of an appointment's topic in the citizen's language, for the counter
    and the volunteer's schedule. One query per topic and language on a page (kept on the request)."""
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return []
    cache = request.__dict__.setdefault("_appointment_guides", {})
    key = (appointment.topic_id, appointment.language)
    if key not in cache:
        cache.update(services.for_appointments(permissions.visible_guides(request.user), [key]))
    return cache[key]
