"""Guide pages: search, read, write, review, copy, screenshots, the owner's list, the network's
most used guides and the service-provider signals. Thin: rules are in guides.services and
guides.permissions; a guide someone may not see is a 404, never a 403."""

import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments.models import Appointment
from guides import images, permissions, provider_signals, rendering, services
from guides.forms import GuideForm, ImageForm, SearchForm
from guides.models import Guide, GuideImage
from help_requests import exports, stats
from help_requests.stats_views import StatsFilterForm
from helpdesk import access
from helpdesk.models import Digipunt, Municipality, Topic
from helpdesk.parsing import int_or_none

logger = logging.getLogger(__name__)


def _topics_for(user):
    return access.scope(Topic.objects.filter(is_active=True), user)


def _readable_or_404(user):
    if access.primary_role(user) is None:
        raise Http404
    return permissions.visible_guides(user)


@login_required
def guide_list(request):
    visible = _readable_or_404(request.user)
    form = SearchForm(request.GET or None, topics=_topics_for(request.user))
    guides = visible.filter(status=Guide.Status.PUBLISHED)
    if form.is_valid():
        data = form.cleaned_data
        guides = services.search(guides, q=data["q"], topic=data["topic"], language=data["language"])
    guides = guides.select_related("municipality").prefetch_related("topics").order_by("title", "pk")[:100]
    return render(
        request,
        "guides/list.html",
        {
            "form": form,
            "guides": guides,
            "can_author": permissions.can_author(request.user),
            "review_due_count": services.review_due(
                Guide.objects.filter(municipality_id__in=permissions.editor_municipality_ids(request.user))
            ).count(),
        },
    )


def _appointment_for(request):
    """The appointment the reader came from (to log its help afterwards), if it is theirs to see."""
    appointment_id = int_or_none(request.GET.get("appointment"))
    if not appointment_id:
        return None
    appointments = access.visits(
        Appointment.objects.select_related("volunteer"), request.user, volunteer_path="volunteer__user"
    )
    return appointments.filter(pk=appointment_id).first()


@login_required
def guide_detail(request, pk):
    guide = get_object_or_404(
        _readable_or_404(request.user).select_related("municipality", "reviewed_by", "copied_from"), pk=pk
    )
    editable = permissions.can_edit(request.user, guide)
    member_of = {m.municipality_id for m in access.memberships(request.user) if m.municipality_id}
    if guide.status != Guide.Status.DRAFT and member_of:
        services.record_use(
            guide, guide.municipality_id if guide.municipality_id in member_of else min(member_of)
        )
    since = timezone.localdate() - datetime.timedelta(days=365)
    figures = services.with_figures(Guide.objects.filter(pk=guide.pk), since).first() if editable else None
    authors = permissions.author_municipalities(request.user).exclude(pk=guide.municipality_id)
    appointment = _appointment_for(request)
    log_next = ""
    if appointment is not None:
        mine = appointment.volunteer.user_id == request.user.pk
        log_next = reverse("volunteers:schedule") if mine else reverse("appointments:counter")
    return render(
        request,
        "guides/detail.html",
        {
            "guide": guide,
            "body_html": rendering.render(guide.body_markdown),
            "topics": guide.topics.all(),
            "editable": editable,
            "can_copy": authors.exists(),
            "review_due": services.is_review_due(guide),
            "figures": figures,
            "appointment": appointment,
            "log_next": log_next,
            "images": guide.images.all() if editable else [],
            "image_form": ImageForm() if editable else None,
        },
    )


def _editable_or_404(request, pk):
    guide = get_object_or_404(permissions.visible_guides(request.user), pk=pk)
    if not permissions.can_edit(request.user, guide):
        raise Http404
    return guide


def _apply_errors(form, error: ValidationError):
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def guide_create(request):
    municipalities = permissions.author_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = GuideForm(request.POST or None, topics=_topics_for(request.user), municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality", None) or municipalities.first()
        try:
            guide = services.create(municipality=municipality, by=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The guide is saved."))
            return redirect("guides:detail", guide.pk)
    return render(request, "guides/form.html", {"form": form, "guide": None})


@login_required
def guide_edit(request, pk):
    guide = _editable_or_404(request, pk)
    form = GuideForm(request.POST or None, instance=guide, topics=_topics_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update(Guide.objects.get(pk=guide.pk), **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The guide is saved."))
            return redirect("guides:detail", guide.pk)
    return render(request, "guides/form.html", {"form": form, "guide": guide})


@login_required
@require_POST
def guide_review(request, pk):
    guide = _editable_or_404(request, pk)
    services.mark_reviewed(guide, by=request.user)
    messages.success(request, _("Marked as reviewed today."))
    return redirect("guides:detail", guide.pk)


@login_required
@require_POST
def guide_copy(request, pk):
    guide = get_object_or_404(permissions.visible_guides(request.user), pk=pk)
    municipality = permissions.author_municipalities(request.user).exclude(pk=guide.municipality_id).first()
    if municipality is None:
        raise PermissionDenied
    copy = services.copy(guide, municipality=municipality, by=request.user)
    messages.success(request, _("A draft copy is made for your municipality: adapt it and publish it."))
    return redirect("guides:edit", copy.pk)


@login_required
@require_POST
def image_upload(request, pk):
    guide = _editable_or_404(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = images.store(guide, form.cleaned_data["file"], form.cleaned_data["alt_text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except OSError:
            # The disk, not the upload: MEDIA_ROOT not writable or full (check --deploy warns).
            logger.exception("Guide %s: a screenshot could not be written under MEDIA_ROOT", guide.pk)
            messages.error(request, _("The screenshot could not be saved. Please tell your administrator."))
        else:
            messages.success(
                request,
                _("Screenshot added. Put it in the text with: %(snippet)s")
                % {"snippet": f"![{image.alt_text}](/guides/images/{image.pk}/)"},
            )
    else:
        for problems in form.errors.values():
            messages.error(request, " ".join(problems))
    return redirect("guides:detail", guide.pk)


@login_required
def image(request, pk):
    """A screenshot, only for people who may see its guide."""
    picture = get_object_or_404(GuideImage.objects.filter(guide__in=_readable_or_404(request.user)), pk=pk)
    try:
        handle = picture.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=picture.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def manage(request):
    """The owners' list: every guide of their municipality, what needs a review and what
    sessions said about each guide."""
    municipalities = permissions.author_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    today = timezone.localdate()
    own = Guide.objects.filter(municipality__in=municipalities)
    due_ids = set(services.review_due(own, today).values_list("pk", flat=True))
    guides = services.with_figures(own.select_related("reviewed_by"), today - datetime.timedelta(days=365))
    guides = guides.order_by("title", "pk")
    return render(
        request,
        "guides/manage.html",
        {
            "guides": guides,
            "due_ids": due_ids,
            "due_count": len(due_ids),
            "months": settings.GUIDE_REVIEW_MONTHS,
        },
    )


@login_required
def usage(request):
    """The network's most used guides over the last 12 months (network admins)."""
    if not permissions.can_see_usage(request.user):
        raise PermissionDenied
    since = timezone.localdate() - datetime.timedelta(days=365)
    return render(request, "guides/usage.html", {"guides": services.most_used(since), "since": since})


@login_required
def provider_signals_page(request):
    municipality_ids, period, form = _signals_scope(request)
    rows = provider_signals.by_topic(municipality_ids, period)
    return render(request, "guides/signals.html", {"form": form, "rows": rows, "period": period})


@login_required
def provider_signals_export(request):
    municipality_ids, period, _form = _signals_scope(request)
    name = f"service-signals-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
    rows = provider_signals.export_rows(municipality_ids, period)
    response = StreamingHttpResponse(
        exports.csv_stream(provider_signals.export_header(), rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _signals_scope(request):
    """(municipality ids or None for all, period, form): coordinators see their municipality,
    network admins the whole network."""
    if not permissions.can_see_provider_signals(request.user):
        raise PermissionDenied
    municipalities = access.scope(Municipality.objects.all(), request.user, access.CONFIG_ROLES)
    form = StatsFilterForm(
        request.GET or None, municipalities=municipalities, digipunten=Digipunt.objects.none()
    )
    del form.fields["digipunt"]
    visible = access.municipality_ids(request.user, access.CONFIG_ROLES)
    municipality_ids = None if visible is None else sorted(visible)
    period = stats.Period.last_twelve_months()
    if form.is_valid():
        data = form.cleaned_data
        chosen = stats.Period.ending(data.get("date_from"), data.get("date_to"))
        problems = chosen.problems()
        if problems:
            for field, message in problems.items():
                form.add_error("date_from" if field == "from" else "date_to", message)
        else:
            period = chosen
        if data.get("municipality"):
            municipality_ids = [data["municipality"].pk]
    return municipality_ids, period, form
