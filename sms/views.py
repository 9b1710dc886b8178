"""Twilio's webhooks (inbound SMS, delivery status) and the staff pages: follow-up, threads,
the simulator. Thin: the work is in sms.inbound, sms.outbox, sms.callbacks."""

import logging
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse

from conversations import callbacks
from conversations.models import CallbackRequest
from helpdesk import access, twilio_signatures
from helpdesk.models import Citizen, Municipality
from helpdesk.null_characters import allow_null_characters
from helpdesk.parsing import int_or_none
from privacy import audit
from sms import inbound, outbox
from sms.forms import SimulatorForm
from sms.models import InboundMessage, OutboundMessage
from sms.threads import thread

logger = logging.getLogger(__name__)


def twiml(text: str = "") -> HttpResponse:
    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


# Twilio's webhooks take NUL: sms.inbound strips control characters from what it stores and
# validates the rest, and a refused message would be lost (Twilio does not send it again).
@csrf_exempt
@allow_null_characters
def inbound_webhook(request):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    try:
        reply = inbound.receive(
            sid=request.POST.get("MessageSid", ""),
            from_=request.POST.get("From", ""),
            to=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
        )
    except inbound.Malformed as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    return twiml(reply)


@csrf_exempt
@allow_null_characters
def status_webhook(request):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    sid = request.POST.get("MessageSid", "")
    status = request.POST.get("MessageStatus", "")
    error_code = request.POST.get("ErrorCode", "")
    if (
        not inbound.SID_PATTERN.match(sid)
        or not status.isalpha()
        or (error_code and not error_code.isdigit())
    ):
        return HttpResponseBadRequest("MessageSid and MessageStatus are required.", content_type="text/plain")
    outbox.apply_status(sid=sid, status=status[:20], error_code=error_code[:20])
    return twiml()


# Staff pages


def _office(request):
    if not access.is_office_member(request.user):
        raise PermissionDenied


def _scoped(queryset, request):
    return access.scope(queryset, request.user, access.OFFICE_ROLES)


@login_required
def follow_up(request):
    """What staff must act on: people to phone back and messages that could not be delivered."""
    _office(request)
    open_callbacks = _scoped(CallbackRequest.objects.filter(status=CallbackRequest.Status.OPEN), request)
    undelivered = _scoped(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED, handled_at__isnull=True), request
    )
    return render(
        request,
        "sms/follow_up.html",
        {
            "callbacks": open_callbacks.select_related("citizen", "municipality").order_by("created_at"),
            "undelivered": undelivered.select_related("citizen", "appointment__digipunt").order_by(
                "-created_at"
            ),
            "outcomes": CallbackRequest.Outcome.choices,
        },
    )


@login_required
@require_POST
def callback_done(request, pk):
    _office(request)
    callback = get_object_or_404(_scoped(CallbackRequest.objects.all(), request), pk=pk)
    outcome = request.POST.get("outcome", "")
    if outcome not in CallbackRequest.Outcome.values:
        messages.error(request, _("Choose how the call went."))
    elif callback.status == CallbackRequest.Status.OPEN:
        callbacks.close(callback, outcome=outcome, by=request.user)
        messages.success(request, _("Call to %(phone)s recorded.") % {"phone": callback.phone})
    return redirect("sms:follow-up")


@login_required
@require_POST
def undelivered_done(request, pk):
    _office(request)
    message = get_object_or_404(_scoped(OutboundMessage.objects.all(), request), pk=pk)
    if message.handled_at is None:
        message.handled_at, message.handled_by = timezone.now(), request.user
        message.save(update_fields=["handled_at", "handled_by"])
        messages.success(request, _("Marked as followed up."))
    return redirect("sms:follow-up")


@login_required
@audit.audited_view(audit.Subject.SMS, model=Citizen, detail="thread")
def citizen_thread(request, pk):
    _office(request)
    citizen = get_object_or_404(_scoped(Citizen.objects.select_related("municipality"), request), pk=pk)
    return render(request, "sms/thread.html", {"citizen": citizen, "thread": thread(citizen)})


@login_required
def simulator(request):
    """A phone on screen: type as a citizen, see the replies. The same engine as real SMS, but
    only ever the threads of citizens made here (`Citizen.simulated`): a real citizen's number
    shows nothing, and the form refuses to text as one."""
    _office(request)
    municipalities = _scoped(Municipality.objects.exclude(sms_number__isnull=True), request).order_by("name")
    initial = {
        "municipality": request.GET.get("municipality"),
        "phone": request.GET.get("phone") or "+32470000001",
    }
    form = SimulatorForm(request.POST or None, municipalities=municipalities, initial=initial)
    if request.method == "POST" and form.is_valid():
        municipality, phone = form.cleaned_data["municipality"], form.cleaned_data["phone"]
        inbound.receive(
            sid=f"SIM{uuid.uuid4().hex}",
            from_=str(phone),
            to=str(municipality.sms_number),
            body=form.cleaned_data["body"],
            simulated=True,
        )
        query = urlencode({"municipality": municipality.pk, "phone": phone.as_e164})
        return redirect(f"{reverse('sms:simulator')}?{query}")
    citizen = None
    if form.is_bound:
        municipality, phone = form.cleaned_data.get("municipality"), form.cleaned_data.get("phone")
    else:
        municipality = (
            municipalities.filter(pk=int_or_none(initial["municipality"])).first() or municipalities.first()
        )
        phone = initial["phone"]
    if municipality is not None and phone:
        citizen = Citizen.objects.filter(municipality=municipality, phone=str(phone), simulated=True).first()
    return render(
        request,
        "sms/simulator.html",
        {
            "form": form,
            "citizen": citizen,
            "thread": thread(citizen) if citizen else [],
            "municipality": municipality,
            "has_numbers": municipalities.exists(),
        },
    )


__all__ = ["InboundMessage"]
