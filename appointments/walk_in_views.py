"""The walk-in queue on the counter page: a fragment that htmx refreshes and swaps in place.

Thin views: every change goes through appointments.walk_ins. Each action answers htmx with the
queue fragment (so a second desk's tickets show up too) and a plain form post with a redirect
back to the counter, so the page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from appointments import walk_ins
from appointments.forms import WalkInForm
from appointments.models import WalkIn
from appointments.views import _office, _places, _topics, queue_context
from helpdesk import access
from helpdesk.parsing import int_or_none


def _place(request, value):
    return get_object_or_404(_places(request).select_related("municipality"), pk=int_or_none(value))


def _answer(request, place, *, message="", error="", added=False, undo_ticket=None):
    if request.htmx:
        response = render(
            request,
            "appointments/_walk_in_queue.html",
            queue_context(request, place, message=message, error=error, undo_ticket=undo_ticket),
        )
        if added:
            response["HX-Trigger"] = "walk-in-added"  # counter.js empties the form for the next one
        return response
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(f"{reverse('appointments:counter')}?digipunt={place.pk}")


@login_required
@require_GET
def walk_in_queue(request):
    """The queue fragment alone, for htmx polling."""
    _office(request)
    place = _place(request, request.GET.get("digipunt"))
    return render(request, "appointments/_walk_in_queue.html", queue_context(request, place))


@login_required
@require_POST
def walk_in_add(request):
    _office(request)
    place = _place(request, request.POST.get("digipunt"))
    form = WalkInForm(request.POST, topics=_topics(request))
    if not form.is_valid():
        return _answer(request, place, error=_("Choose a topic and a language for the walk-in."))
    ticket = walk_ins.register(
        digipunt=place,
        topic=form.cleaned_data["topic"],
        language=form.cleaned_data["language"],
        name=form.cleaned_data["name"],
    )
    message = _("Ticket %(number)s for %(topic)s.") % {"number": ticket.number, "topic": ticket.topic}
    return _answer(request, place, message=message, added=True)


@login_required
@require_POST
def walk_in_call_next(request):
    """The oldest waiting ticket is called; two desks pressing at once get two different ones."""
    _office(request)
    place = _place(request, request.POST.get("digipunt"))
    ticket = walk_ins.call_next(place, by=request.user)
    if ticket is None:
        return _answer(request, place, error=_("Nobody is waiting."))
    label = ticket.name or ticket.topic.name
    return _answer(
        request,
        place,
        message=_("Ticket %(number)s (%(name)s) is called.") % {"number": ticket.number, "name": label},
    )


@login_required
@require_POST
def walk_in_action(request, pk, action):
    _office(request)
    ticket = get_object_or_404(
        access.scope(WalkIn.objects.all(), request.user, access.OFFICE_ROLES)
        .filter(digipunt__in=_places(request))
        .select_related("digipunt__municipality"),
        pk=pk,
    )
    before = ticket.status
    if action == "call":
        ticket = walk_ins.call(ticket, by=request.user)
    elif action in ("served", "left"):
        ticket = walk_ins.finish(ticket, served=action == "served")
    elif action == "undo-left":
        ticket = walk_ins.undo_left(ticket)
    else:
        raise Http404
    number = {"number": ticket.number}
    if ticket.status == before:
        # Someone at another desk got there first: say so instead of pretending it worked.
        error = _("Ticket %(number)s was changed at another desk meanwhile.") % number
        return _answer(request, ticket.digipunt, error=error)
    done = {
        "call": _("Ticket %(number)s is called."),
        "served": _("Ticket %(number)s was helped."),
        "left": _("Ticket %(number)s left without help."),
        "undo-left": _("Ticket %(number)s is back in the queue."),
    }
    # Right after "left without help", the message itself offers the undo (the ticket folds away).
    undo = ticket if action == "left" else None
    return _answer(request, ticket.digipunt, message=done[action] % number, undo_ticket=undo)
