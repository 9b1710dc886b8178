"""The guide question on the log-help form: which guide was used and did it help?

A section of help_requests.log_sections, registered in GuidesConfig.ready()."""

from django.db.models import Q

from guides import permissions, services
from guides.forms import FeedbackForm
from guides.models import Guide
from helpdesk.parsing import int_or_none


def form(request, *, appointment=None, ticket=None) -> FeedbackForm | None:
    """The guides the user may see (of the visit's topic when there is a visit); None when there
    are none. `?guide=` (from the guide's page) preselects one."""
    guides = permissions.visible_guides(request.user).exclude(status=Guide.Status.DRAFT)
    chosen = int_or_none(request.GET.get("guide"))
    chosen = chosen if chosen and 0 < chosen < 2**63 else None
    visit = appointment or ticket
    if visit is not None:
        guides = guides.filter(topics=visit.topic_id)
    else:
        # Phone help without a visit: the user's own municipalities' guides (the network's shared
        # ones would make a list of thousands), and the guide they came from.
        own = permissions.reader_municipality_ids(request.user)
        if own is not None:
            guides = guides.filter(Q(municipality_id__in=own) | Q(pk=chosen or 0))
    guides = guides.distinct().order_by("title", "pk")
    if not guides.exists():
        return None
    initial = {}
    if chosen and guides.filter(pk=chosen).exists():
        initial["guide"] = chosen
    return FeedbackForm(request.POST or None, guides=guides, initial=initial)


template = "guides/_feedback_fields.html"


def save(feedback_form: FeedbackForm, help_request) -> None:
    guide = feedback_form.cleaned_data.get("guide")
    if guide is not None:
        services.record_feedback(help_request, guide, feedback_form.cleaned_data["verdict"])
