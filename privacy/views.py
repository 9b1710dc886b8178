"""Staff pages for citizens' rights (access and erasure), the audit log, and the public privacy
and accessibility pages. Thin: the rules are in privacy.erasure and privacy.audit."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from phonenumber_field.formfields import PhoneNumberField

from helpdesk import access
from helpdesk.languages import current_language
from helpdesk.models import Citizen, Municipality
from helpdesk.phones import REGION
from privacy import audit
from privacy import erasure as privacy
from privacy.models import AuditEvent


class PhoneForm(forms.Form):
    phone = PhoneNumberField(
        region=REGION,
        label=gettext_lazy("Phone number"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked who is asking: erase this citizen's personal data"),
        required=True,
    )


def _office_or_403(user):
    if not access.is_office_member(user):
        raise PermissionDenied


def _citizen_or_404(user, pk) -> Citizen:
    citizens = access.scope(Citizen.objects.select_related("municipality"), user, access.OFFICE_ROLES)
    return get_object_or_404(citizens, pk=pk)


@login_required
def citizen_lookup(request):
    """Find a citizen by number. POST, so that the number never lands in a URL or a server log."""
    _office_or_403(request.user)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = access.municipality_ids(request.user, access.OFFICE_ROLES)
        citizen = privacy.find_citizen(ids, form.cleaned_data["phone"].as_e164)
        if citizen is not None:
            return redirect("privacy-citizen", pk=citizen.pk)
        messages.info(request, _("We hold no data on this number in your municipality."))
        return redirect("privacy-lookup")
    return render(request, "privacy/privacy_lookup.html", {"form": form})


@login_required
@audit.audited_view(audit.Subject.CITIZEN, detail="privacy page")
def citizen_detail(request, pk):
    _office_or_403(request.user)
    citizen = _citizen_or_404(request.user, pk)
    context = {
        "citizen": citizen,
        "counts": {
            _("Appointments"): citizen.appointments.count(),
            _("SMS received"): citizen.inbound_messages.count(),
            _("SMS sent"): citizen.outbound_messages.count(),
            _("Walk-ins"): citizen.walk_ins.count(),
            _("Waitlist entries"): citizen.waitlist_entries.count(),
            _("Call-back requests"): citizen.callbacks.count(),
        },
        "pending": privacy.pending(citizen),
        "form": EraseForm(),
    }
    return render(request, "privacy/privacy_citizen.html", context)


@login_required
def citizen_export(request, pk):
    """The citizen's own copy of their data (right of access), as a JSON file."""
    _office_or_403(request.user)
    citizen = _citizen_or_404(request.user, pk)
    audit.record(
        audit.Action.EXPORT, audit.Subject.CITIZEN, citizen.pk, municipality_id=citizen.municipality_id
    )
    data = {"exported_at": timezone.now().isoformat(), **privacy.export(citizen)}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="citizen-{citizen.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def citizen_erase(request, pk):
    _office_or_403(request.user)
    citizen = _citizen_or_404(request.user, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy-citizen", pk=citizen.pk)
    result = privacy.erase(citizen, by=request.user)
    messages.success(
        request,
        _(
            "The citizen's personal data is erased. %(cancelled)d upcoming appointment(s) cancelled; "
            "statistics keep their counts."
        )
        % {"cancelled": result.get("appointments_cancelled", 0)},
    )
    return redirect("privacy-lookup")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=[("", "—"), *AuditEvent.Action.choices]
    )
    subject = forms.ChoiceField(
        label=gettext_lazy("Subject"), required=False, choices=[("", "—"), *AuditEvent.Subject.choices]
    )
    subject_id = forms.IntegerField(label=gettext_lazy("Id"), required=False, min_value=1)


@login_required
def audit_log(request):
    """Coordinators see who looked at or changed what in their municipality."""
    ids = access.municipality_ids(request.user, access.CONFIG_ROLES)
    if ids is not None and not ids:
        raise PermissionDenied
    events = access.scope(
        AuditEvent.objects.select_related("actor", "municipality"), request.user, access.CONFIG_ROLES
    )
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        for field in ("action", "subject", "subject_id"):
            if form.cleaned_data[field] not in (None, ""):
                events = events.filter(**{field: form.cleaned_data[field]})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/audit_log.html", {"page": page, "form": form, "query": query.urlencode()})


def _public_page(request, name):
    language = current_language()
    municipalities = Municipality.objects.order_by("name")
    context = {"municipalities": municipalities, "walk_in_days": settings.WALK_IN_NAME_RETENTION_DAYS}
    return render(request, f"pages/{name}_{language}.html", context)


def privacy_notice(request):
    return _public_page(request, "privacy")


def accessibility_statement(request):
    return _public_page(request, "accessibility")
