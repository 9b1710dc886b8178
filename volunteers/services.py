"""Applications: approve (account + login e-mail) or decline. Plain functions, called by views and API."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from helpdesk import locks, mail
from helpdesk.models import Membership, Role
from volunteers.models import Application, Volunteer


def _username_for(email: str) -> str:
    User = get_user_model()
    base = "".join(c for c in email.split("@")[0].lower() if c.isalnum() or c in "._-")[:140] or "volunteer"
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _set_password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PUBLIC_BASE_URL + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def approve_application(application: Application, *, by, digipunten=None) -> Volunteer:
    """Create (or reuse) the account, the volunteer profile and the membership; mail the login.

    The e-mail carries the username and a one-time link to choose a password: no password is ever
    sent or stored in clear.
    """
    locks.lock(application)
    application = Application.objects.get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."), code="decided")
    User = get_user_model()
    user = User.objects.filter(email__iexact=application.email).first()
    if user is not None and (
        user.is_staff or user.is_superuser or user.memberships.exclude(role=Role.VOLUNTEER).exists()
    ):
        # A public form must not attach a volunteer profile to a staff or coordinator account.
        raise ValidationError(
            _("This e-mail address belongs to a staff account. Ask the applicant for another address."),
            code="office_account",
        )
    if user is None:
        # An existing account keeps its own names: a public form must not rename anybody.
        user = User(
            username=_username_for(application.email),
            email=application.email.lower(),
            first_name=application.first_name,
            last_name=application.last_name,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Another approval took the same username a moment ago.
            user.username = f"{user.username}{secrets.randbelow(9000) + 1000}"
            user.save()
    volunteer, _created = Volunteer.objects.get_or_create(
        user=user,
        defaults={
            "municipality": application.municipality,
            "phone": application.phone,
            "languages": application.languages,
        },
    )
    volunteer.status = Volunteer.Status.ACTIVE
    volunteer.save()
    volunteer.topics.add(*application.topics.all())
    if digipunten is None:
        digipunten = application.municipality.digipunten.filter(is_active=True)
    volunteer.digipunten.add(*digipunten)
    Membership.objects.get_or_create(
        user=user, municipality=application.municipality, defaults={"role": Role.VOLUNTEER}
    )
    application.status = Application.Status.APPROVED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.volunteer = volunteer
    application.save()

    language = application.municipality.default_language
    with translation.override(language):
        subject = _("Welcome as a digibuddy in %(municipality)s") % {"municipality": application.municipality}
        body = render_to_string(
            "volunteers/email/approved.txt",
            {
                "application": application,
                "username": user.get_username(),
                "set_password_url": _set_password_link(user) if not user.has_usable_password() else "",
                "login_url": settings.PUBLIC_BASE_URL + reverse("login"),
            },
        )
    mail.queue(municipality_id=application.municipality_id, to=application.email, subject=subject, body=body)
    return volunteer


@transaction.atomic
def decline_application(application: Application, *, by, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Give a reason; the applicant will read it.")})
    locks.lock(application)
    application = Application.objects.get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application was already decided."), code="decided")
    application.status = Application.Status.DECLINED
    application.decline_reason = reason
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    with translation.override(application.municipality.default_language):
        subject = _("Your application as a digibuddy in %(municipality)s") % {
            "municipality": application.municipality
        }
        body = render_to_string("volunteers/email/declined.txt", {"application": application})
    mail.queue(municipality_id=application.municipality_id, to=application.email, subject=subject, body=body)
    return application
