"""Logging help in under a minute, and the referrals staff follow up. Thin: the rules are in
help_requests.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import lifecycle, walk_ins
from appointments.models import Appointment, WalkIn
from help_requests import log_sections
from help_requests import services as help_requests
from help_requests.forms import HelpRequestForm
from help_requests.models import HelpRequest
from helpdesk import access
from helpdesk.models import Digipunt, Topic
from helpdesk.parsing import int_or_none


def allowed_digipunten(user):
    """Office members log for their digipunten; volunteers for the digipunten they serve."""
    office = access.digipunten_for(user, access.OFFICE_ROLES)
    volunteer = getattr(user, "volunteer", None)
    if volunteer is None:
        return office
    return Digipunt.objects.filter(pk__in=office.values("pk")) | volunteer.digipunten.all()


def _visit(request):
    """The appointment or walk-in the help is logged for: 404 when there is none the user may log
    (whether it does not exist or is not theirs: the answer does not tell)."""
    appointment_id, walk_in_id = (
        int_or_none(request.GET.get("appointment")),
        int_or_none(request.GET.get("walk_in")),
    )
    if appointment_id:
        appointments = access.visits(
            Appointment.objects.select_related("digipunt", "topic", "volunteer__user"),
            request.user,
            volunteer_path="volunteer__user",
        )
        return get_object_or_404(appointments, pk=appointment_id), None
    if walk_in_id:
        tickets = access.visits(WalkIn.objects.select_related("digipunt", "topic"), request.user)
        return None, get_object_or_404(tickets, pk=walk_in_id)
    return None, None


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def log_help(request):
    places = allowed_digipunten(request.user).filter(is_active=True).distinct().order_by("name")
    if not places.exists():
        raise PermissionDenied
    appointment, ticket = _visit(request)
    visit = appointment or ticket
    if visit is not None and getattr(visit, "help_request", None) is not None:
        messages.info(request, _("The help for this visit was already logged."))
        return redirect(_next_url(request, "/"))
    if ticket is not None and ticket.status == WalkIn.Status.LEFT:
        messages.error(request, _("This person left without help: there is no help to log."))
        return redirect(_next_url(request, "/"))
    initial = {"date": None, "duration_minutes": 30, "channel": "counter", "first_visit": "unknown"}
    hour = None
    if appointment is not None:
        initial.update(help_requests.prefill_from_appointment(appointment))
        places = places.model.objects.filter(pk=appointment.digipunt_id)
    elif ticket is not None:
        initial.update(help_requests.prefill_from_walk_in(ticket))
        places = places.model.objects.filter(pk=ticket.digipunt_id)
    if visit is not None:
        hour = initial.pop("hour")
    else:
        initial["date"] = timezone.localdate()
        initial["digipunt"] = places.first()
    municipality_ids = set(places.values_list("municipality_id", flat=True))
    topics = Topic.objects.filter(is_active=True).filter(
        Q(municipality__isnull=True) | Q(municipality_id__in=municipality_ids)
    )
    # An empty POST is a submit too (every box left empty): it must answer with the errors.
    form = HelpRequestForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        digipunten=places,
        topics=topics,
        fixed_visit=visit is not None,
    )
    sections = log_sections.forms_for(request, appointment=appointment, ticket=ticket)
    if request.method == "POST" and all([form.is_valid(), *(extra.is_valid() for _, extra in sections)]):
        data = {**initial, **form.cleaned_data} if visit is not None else form.cleaned_data
        try:
            with transaction.atomic():
                if appointment is not None:
                    _complete(appointment, request.user)
                if ticket is not None:
                    _serve(ticket, request.user)
                help_request = help_requests.log(
                    digipunt=data["digipunt"],
                    topics=list(data["topics"]),
                    channel=data["channel"],
                    duration_minutes=data["duration_minutes"],
                    outcome=data["outcome"],
                    date=data["date"],
                    hour=hour,
                    self_reliant=data["self_reliant"],
                    age_band=data["age_band"],
                    first_visit=data["first_visit"],
                    referred_to=data["referred_to"],
                    follow_up_on=data["follow_up_on"],
                    note=data["note"],
                    helped_by=request.user,
                    appointment=appointment,
                    walk_in=ticket,
                )
                for section, extra in sections:
                    section.save(extra, help_request)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except lifecycle.InvalidTransition as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: the help is logged."))
            return redirect(_next_url(request, "/"))
    return render(
        request,
        "help_requests/log_help.html",
        {
            "form": form,
            "sections": [{"template": section.template, "form": extra} for section, extra in sections],
            "appointment": appointment,
            "ticket": ticket,
            "next": _next_url(request, ""),
        },
    )


def _serve(ticket, user):
    """Logging the help of a walk-in marks the ticket helped (calling it first if nobody did)."""
    if ticket.status == WalkIn.Status.WAITING:
        ticket = walk_ins.call(ticket, by=user)
    if ticket.status == WalkIn.Status.CALLED:
        walk_ins.finish(ticket, served=True)


def _complete(appointment, user):
    """Logging the help of a visit completes it (checking it in first when nobody did)."""
    status = Appointment.Status
    if appointment.status == status.BOOKED:
        appointment = lifecycle.change_status(appointment, status.CHECKED_IN, by=user, channel="counter")
    if appointment.status == status.CHECKED_IN:
        lifecycle.change_status(appointment, status.COMPLETED, by=user, channel="counter")
    elif appointment.status != status.COMPLETED:
        raise lifecycle.InvalidTransition(appointment, status.COMPLETED)


def _visible_help_requests(user):
    """Staff limited to some digipunten see the help given there only."""
    return HelpRequest.objects.filter(digipunt__in=access.digipunten_for(user, access.OFFICE_ROLES))


@login_required
def referrals(request):
    """Referrals to check: did the citizen get to the OCMW, the bank, the school...?"""
    if not access.is_office_member(request.user):
        raise PermissionDenied
    open_ones = help_requests.open_referrals(_visible_help_requests(request.user)).select_related("digipunt")
    return render(request, "help_requests/referrals.html", {"referrals": open_ones[:200]})


@login_required
@require_POST
def referral_confirmed(request, pk):
    if not access.is_office_member(request.user):
        raise PermissionDenied
    referrals_to_check = help_requests.open_referrals(_visible_help_requests(request.user))
    help_request = get_object_or_404(referrals_to_check, pk=pk)
    help_requests.confirm_referral(help_request)
    messages.success(request, _("Referral marked as picked up."))
    return redirect("help-referrals")
