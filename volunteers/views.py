from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import access
from helpdesk.models import Digipunt
from volunteers import access as volunteer_access
from volunteers import blocks, services
from volunteers.forms import AbsenceForm, ApplicationForm, AvailabilityForm, DecisionForm, VolunteerForm
from volunteers.models import Absence, Application, Volunteer

# Public ---------------------------------------------------------------------------------------


def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Two identical submissions at once: the second meets the unique constraint.
            form.add_error(None, _("An application with these details is already waiting."))
        else:
            return redirect("volunteers:apply-done")
    return render(request, "volunteers/apply.html", {"form": form})


def apply_done(request):
    return render(request, "volunteers/apply_done.html")


# The volunteer's own pages -------------------------------------------------------------------


@login_required
def my_availability(request):
    return _availability_page(request, volunteer_access.own_volunteer(request.user))


# Staff pages ---------------------------------------------------------------------------------


def _visible_volunteer(request, pk) -> Volunteer:
    return get_object_or_404(
        volunteer_access.volunteers_for(request.user).select_related("user", "municipality"), pk=pk
    )


def _require_office(request):
    if not access.is_office_member(request.user):
        raise PermissionDenied


@login_required
def volunteer_list(request):
    _require_office(request)
    applications = access.scope(
        Application.objects.filter(status=Application.Status.PENDING).select_related("municipality"),
        request.user,
        access.OFFICE_ROLES,
    )
    volunteers = (
        volunteer_access.volunteers_for(request.user)
        .select_related("user", "municipality")
        .prefetch_related(Prefetch("digipunten", queryset=Digipunt.objects.order_by("name")))
    )
    rows = [(v, volunteer_access.can_manage_volunteer(request.user, v)) for v in volunteers]
    return render(request, "volunteers/staff_list.html", {"applications": applications, "rows": rows})


@login_required
def application_detail(request, pk):
    _require_office(request)
    application = get_object_or_404(
        access.scope(Application.objects.select_related("municipality"), request.user, access.OFFICE_ROLES),
        pk=pk,
    )
    digipunten = access.digipunten_for(request.user, access.OFFICE_ROLES).filter(
        municipality=application.municipality, is_active=True
    )
    form = DecisionForm(request.POST or None, digipunten=digipunten, initial={"digipunten": digipunten})
    if request.method == "POST" and form.is_valid():
        try:
            if "approve" in request.POST:
                volunteer = services.approve_application(
                    application, by=request.user, digipunten=form.cleaned_data["digipunten"]
                )
                messages.success(
                    request,
                    _("%(name)s is now a volunteer; the login details were e-mailed.")
                    % {"name": application.first_name},
                )
                return redirect("volunteers:edit", pk=volunteer.pk)
            services.decline_application(
                application, by=request.user, reason=form.cleaned_data["decline_reason"]
            )
            messages.success(request, _("The application was declined and the applicant informed."))
            return redirect("volunteers:list")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
    return render(request, "volunteers/application_detail.html", {"application": application, "form": form})


@login_required
def volunteer_edit(request, pk):
    """The profile, for staff of the volunteer's home municipality only."""
    _require_office(request)
    volunteer = _visible_volunteer(request, pk)
    if not volunteer_access.can_manage_volunteer(request.user, volunteer):
        raise Http404
    editable = access.digipunten_for(request.user, access.OFFICE_ROLES).filter(is_active=True)
    form = VolunteerForm(request.POST or None, instance=volunteer, digipunten=editable)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(commit=False)
            volunteer.save()
            form.save_topics()
            blocks.set_digipunten(volunteer, form.cleaned_data["digipunten"], editable)
        messages.success(request, _("Saved."))
        return redirect("volunteers:edit", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_edit.html", {"volunteer": volunteer, "form": form})


@login_required
def volunteer_availability(request, pk):
    _require_office(request)
    return _availability_page(request, _visible_volunteer(request, pk))


# Availability editor, shared by the volunteer and staff ---------------------------------------


def _posted_id(request, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _availability_page(request, volunteer: Volunteer):
    editable = volunteer_access.availability_digipunten(request.user, volunteer)
    absences_editable = volunteer_access.can_edit_absences(request.user, volunteer)
    if not (absences_editable or editable.exists()):
        raise Http404
    availability_form = AvailabilityForm(volunteer=volunteer, digipunten=editable, prefix="block")
    absence_form = AbsenceForm(volunteer=volunteer, prefix="absence")
    if request.method == "POST":
        if "add_block" in request.POST:
            availability_form = AvailabilityForm(
                request.POST, volunteer=volunteer, digipunten=editable, prefix="block"
            )
            if availability_form.is_valid():
                try:
                    blocks.add_block(availability_form.instance)
                except ValidationError as error:
                    availability_form.add_error(None, error)
                else:
                    messages.success(request, _("Availability added."))
                    return redirect(request.path)
        elif "add_absence" in request.POST and absences_editable:
            absence_form = AbsenceForm(request.POST, volunteer=volunteer, prefix="absence")
            if absence_form.is_valid():
                absence_form.save()
                messages.success(request, _("Absence added."))
                return redirect(request.path)
        elif "delete_block" in request.POST:
            block = (
                volunteer.availability.current()
                .filter(pk=_posted_id(request, "delete_block"), digipunt__in=editable)
                .first()
            )
            if block is not None:
                blocks.remove_block(block)
                messages.success(request, _("Availability removed."))
            return redirect(request.path)
        elif "delete_absence" in request.POST and absences_editable:
            Absence.objects.filter(volunteer=volunteer, pk=_posted_id(request, "delete_absence")).delete()
            messages.success(request, _("Absence removed."))
            return redirect(request.path)
    editable_ids = set(editable.values_list("pk", flat=True))
    current = volunteer.availability.current().select_related("digipunt").order_by("weekday", "starts")
    return render(
        request,
        "volunteers/availability.html",
        {
            "volunteer": volunteer,
            "own": volunteer_access.is_self(request.user, volunteer),
            "manages": volunteer_access.can_manage_volunteer(request.user, volunteer),
            "blocks": [(block, block.digipunt_id in editable_ids) for block in current],
            "can_add_blocks": bool(editable_ids),
            "absences": volunteer.absences.filter(end_date__gte=timezone.localdate()),
            "absences_editable": absences_editable,
            "availability_form": availability_form,
            "absence_form": absence_form,
        },
    )
