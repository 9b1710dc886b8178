"""Twilio Voice webhooks (the call, each <Gather> step, the status callback) and the staff call
simulator. Thin: the work is in voice.calls and voice.dialogue."""

import uuid
import xml.etree.ElementTree as ElementTree

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from helpdesk import access, twilio_signatures
from helpdesk.models import Municipality
from helpdesk.null_characters import allow_null_characters
from helpdesk.parsing import int_or_none
from voice import calls
from voice.forms import CallSimulatorForm

TWIML = "text/xml; charset=utf-8"


def _answer(handler, request, **values):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    try:
        return HttpResponse(handler(sid=request.POST.get("CallSid", ""), **values), content_type=TWIML)
    except calls.Malformed as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")


# Twilio's webhooks take NUL: voice.calls strips control characters from what it reads.
@csrf_exempt
@allow_null_characters
def inbound_webhook(request):
    return _answer(calls.start, request, from_=request.POST.get("From", ""), to=request.POST.get("To", ""))


@csrf_exempt
@allow_null_characters
def step_webhook(request, step):
    return _answer(
        calls.step,
        request,
        step=str(step),
        digits=request.POST.get("Digits", ""),
        speech=request.POST.get("SpeechResult", ""),
    )


@csrf_exempt
@allow_null_characters
def status_webhook(request):
    refused = twilio_signatures.refuse_unsigned(request)
    if refused is not None:
        return refused
    try:
        calls.ended(sid=request.POST.get("CallSid", ""), status=request.POST.get("CallStatus", "")[:20])
    except calls.Malformed as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    return HttpResponse(status=204)


def spoken(twiml: str) -> dict:
    """What a caller hears and may do, read back from the TwiML the webhook answers."""
    root = ElementTree.fromstring(twiml)
    gather = root.find("Gather")
    says = (gather if gather is not None else root).findall("Say")
    dial = root.find("Dial")
    return {
        "lines": [(say.get("language", ""), say.text or "") for say in says],
        "action": gather.get("action") if gather is not None else "",
        "number": gather is not None and gather.get("finishOnKey") == "#",
        "dial": dial.text if dial is not None else "",
        "ended": gather is None,
    }


@login_required
def simulator(request):
    """A phone on screen: press keys as a caller, read what the line says. The same engine and
    TwiML as a real call, but never a real phone: the caller is a simulated citizen."""
    if not access.is_office_member(request.user):
        raise PermissionDenied
    municipalities = access.scope(
        Municipality.objects.exclude(sms_number__isnull=True), request.user, access.OFFICE_ROLES
    ).order_by("name")
    form = CallSimulatorForm(
        request.POST or None,
        municipalities=municipalities,
        initial={"action": "call", "municipality": int_or_none(request.GET.get("municipality"))},
    )
    session = request.session.get("voice_simulator") or {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["action"] == "call":
            sid = f"SIM{uuid.uuid4().hex}"
            phone = data["phone"].as_e164 if data["phone"] else ""
            twiml = calls.start(sid=sid, from_=phone, to=str(data["municipality"].sms_number), simulated=True)
            session = {"sid": sid, "twiml": twiml, "log": []}
        elif session.get("sid"):
            step = spoken(session["twiml"])["action"].rstrip("/").rsplit("/", 1)[-1]
            if step.isdigit():
                session["log"].append(data["keys"] or "…")
                session["twiml"] = calls.step(sid=session["sid"], step=step, digits=data["keys"])
        request.session["voice_simulator"] = session
        return redirect(reverse("voice:simulator"))
    heard = spoken(session["twiml"]) if session.get("twiml") else None
    return render(
        request,
        "voice/simulator.html",
        {
            "form": form,
            "heard": heard,
            "log": session.get("log", []),
            "has_numbers": municipalities.exists(),
            "keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"],
        },
    )
