"""Who works for which municipality, in which role. Access rules live in helpdesk/access.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .municipalities import Digipunt, Municipality


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    COORDINATOR = "coordinator", _("Coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    NETWORK_ADMIN = "network_admin", _("Network administrator")


class Membership(models.Model):
    """A user's role in a municipality; a network administrator's membership has no municipality."""

    municipality_path = "municipality"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    digipunten = models.ManyToManyField(
        Digipunt,
        blank=True,
        related_name="staff_memberships",
        verbose_name=_("limited to digipunten"),
        help_text=_("For staff: leave empty to work at every digipunt of the municipality."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
            models.CheckConstraint(
                condition=Q(role=Role.NETWORK_ADMIN, municipality__isnull=True)
                | (~Q(role=Role.NETWORK_ADMIN) & Q(municipality__isnull=False)),
                name="membership_municipality_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(municipality__isnull=False),
                name="membership_one_role_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(municipality__isnull=True), name="membership_one_network_role"
            ),
        ]

    def __str__(self):
        where = self.municipality or _("network")
        return f"{self.user}: {self.get_role_display()} ({where})"
