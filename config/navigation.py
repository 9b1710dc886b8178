from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk import access


def navigation(request):
    """The main menu: what this user can reach, from the same access rules as the pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [("home", reverse("home"), _("Home"))]
    if hasattr(user, "volunteer"):
        links.append(("schedule", reverse("volunteers:schedule"), _("My schedule")))
        links.append(("my-availability", reverse("volunteers:my-availability"), _("My availability")))
    if access.is_office_member(user) or hasattr(user, "volunteer"):
        links.append(("help-log", reverse("help-log"), _("Log help")))
    if access.primary_role(user):
        links.append(("guides", reverse("guides:list"), _("Guides")))
    if access.is_office_member(user):
        links.append(("counter", reverse("appointments:counter"), _("Counter")))
        links.append(("book", reverse("appointments:book"), _("Book for a caller")))
        links.append(("list", reverse("volunteers:list"), _("Volunteers")))
        links.append(("sms", reverse("sms:follow-up"), _("Call back")))
        links.append(("referrals", reverse("help-referrals"), _("Referrals")))
        links.append(("stats", reverse("stats"), _("Statistics")))
        links.append(("simulator", reverse("sms:simulator"), _("SMS simulator")))
        links.append(("call-simulator", reverse("voice:simulator"), _("Call simulator")))
        links.append(("privacy", reverse("privacy-lookup"), _("Citizen data")))
    if access.municipality_ids(user, access.CONFIG_ROLES) != set():
        links.append(("audit", reverse("audit-log"), _("Audit log")))
    if access.can_use_admin(user):
        links.append(("admin", reverse("admin:index"), _("Configuration")))
    # The API documentation is for the office that connects other systems, not for volunteers.
    if access.is_office_member(user):
        links.append(("api-docs", reverse("api-docs"), _("API")))
    return {"nav_links": links}
