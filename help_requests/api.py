"""GET, POST /api/v1/help-requests/ and GET /api/v1/stats/ (CONTRACT.md)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from help_requests import network, stats
from help_requests import services as help_requests
from help_requests.models import MAX_DURATION_MINUTES, AgeBand, HelpRequest, Outcome, ReferredTo
from helpdesk import access, dates
from helpdesk.api.errors import field_errors
from helpdesk.api.fields import TopicCodeField
from helpdesk.api.permissions import IsOfficeMember
from helpdesk.api.schema import FIELD_ERRORS
from helpdesk.channels import Channel
from helpdesk.models import Digipunt, Municipality
from privacy import audit
from privacy.api import AuditedListMixin


class HelpRequestSerializer(serializers.ModelSerializer):
    digipunt = serializers.PrimaryKeyRelatedField(queryset=Digipunt.objects.none())
    topics = TopicCodeField(many=True, write_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=MAX_DURATION_MINUTES)
    hour = serializers.IntegerField(min_value=0, max_value=23, required=False, allow_null=True)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    referred_to = serializers.ChoiceField(choices=ReferredTo.choices, required=False, allow_blank=True)

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "digipunt",
            "date",
            "hour",
            "topics",
            "channel",
            "duration_minutes",
            "outcome",
            "self_reliant",
            "age_band",
            "first_visit",
            "referred_to",
            "follow_up_on",
            "note",
        ]
        read_only_fields = ["id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["digipunt"].queryset = access.digipunten_for(request.user, access.OFFICE_ROLES)

    def validate_topics(self, value):
        if not value:
            raise serializers.ValidationError("Give at least one topic code.")
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["topics"] = sorted(link.topic.code for link in instance.topic_links.all())
        return data

    def create(self, validated_data):
        topics = validated_data.pop("topics")
        try:
            return help_requests.log(topics=topics, helped_by=self.context["request"].user, **validated_data)
        except DjangoValidationError as error:
            raise ValidationError(field_errors(error)) from error


@extend_schema(
    parameters=[
        OpenApiParameter("from", datetime.date, required=False),
        OpenApiParameter("to", datetime.date, required=False),
        OpenApiParameter("digipunt", int, required=False),
    ]
)
class HelpRequestViewSet(
    AuditedListMixin, mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Help given, one row per help request, anonymous; newest first."""

    audit_subject = audit.Subject.HELP_REQUEST
    serializer_class = HelpRequestSerializer
    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]

    def get_queryset(self):
        # Staff limited to some digipunten see the help given there only (the rows carry notes).
        queryset = HelpRequest.objects.filter(
            digipunt__in=access.digipunten_for(self.request.user, access.OFFICE_ROLES)
        )
        period = parse_period(self.request.query_params, default=None)
        if period is not None:
            queryset = queryset.filter(date__range=(period.first, period.last))
        digipunt = self.request.query_params.get("digipunt")
        if digipunt is not None:
            queryset = queryset.filter(digipunt_id=_positive_int(digipunt, "digipunt"))
        return queryset.prefetch_related("topic_links__topic").order_by("-date", "-hour", "-pk")


def _positive_int(value, name) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 2**63 - 1:
        raise ValidationError({name: ["Give a positive whole number."]})
    return number


def _date(value, name) -> datetime.date:
    try:
        day = dates.from_query(value)
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages}) from None
    if day is None:
        raise ValidationError({name: [dates.UNREADABLE]})
    return day


def parse_period(params, default=stats.Period.last_twelve_months):
    """`from` and `to` (inclusive) from the query; `default()` when neither is given."""
    raw_from, raw_to = params.get("from"), params.get("to")
    if raw_from is None and raw_to is None:
        return default() if default else None
    period = stats.Period.ending(
        _date(raw_from, "from") if raw_from is not None else None,
        _date(raw_to, "to") if raw_to is not None else None,
    )
    problems = period.problems()
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})
    return period


def stats_scope(user, params) -> tuple[list[int] | None, int | None]:
    """Municipalities and digipunt the caller asks for, within what they may see."""
    visible = access.municipality_ids(user, access.OFFICE_ROLES)  # None: the network admin, all
    municipality_ids = None if visible is None else sorted(visible)
    raw = params.get("municipality")
    if raw is not None:
        wanted = _positive_int(raw, "municipality")
        if (visible is not None and wanted not in visible) or not Municipality.objects.filter(
            pk=wanted
        ).exists():
            raise ValidationError({"municipality": ["Unknown municipality."]})
        municipality_ids = [wanted]
    digipunt_id = None
    if params.get("digipunt") is not None:
        digipunt_id = _positive_int(params["digipunt"], "digipunt")
        places = Digipunt.objects.filter(pk=digipunt_id)
        if municipality_ids is not None:
            places = places.filter(municipality_id__in=municipality_ids)
        if not places.exists():
            raise ValidationError({"digipunt": ["Unknown digipunt."]})
    return municipality_ids, digipunt_id


class StatsView(APIView):
    """Figures for a period (default: the last 12 months) in the caller's municipality."""

    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", int, required=False, description="Default: the caller's own"),
            OpenApiParameter("digipunt", int, required=False),
            OpenApiParameter(
                "from", datetime.date, required=False, description="Default: a year before `to`"
            ),
            OpenApiParameter("to", datetime.date, required=False, description="Default: today"),
        ],
        responses={200: dict, 400: FIELD_ERRORS},
    )
    def get(self, request):
        municipality_ids, digipunt_id = stats_scope(request.user, request.query_params)
        period = parse_period(request.query_params)
        return Response(stats.summary(municipality_ids, period, digipunt_id))


class NetworkStatsView(APIView):
    """Every municipality side by side for one completed calendar year, anonymous: counts below
    STATS_MIN_CELL (and the counts that would reveal them) are null. Only whole years, so that two
    overlapping periods cannot be subtracted to reveal a small count; and only years that are
    over, so that today's table and tomorrow's cannot be either."""

    permission_classes = [permissions.IsAuthenticated, IsOfficeMember]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                int,
                required=False,
                description="A completed year (default: last year); the running year is a 400",
            )
        ],
        responses={200: dict, 400: FIELD_ERRORS},
    )
    def get(self, request):
        raw = request.query_params.get("year")
        published = network.network_years(timezone.localdate())
        year = published[0] if raw is None else _positive_int(raw, "year")
        if not dates.EARLIEST.year <= year <= dates.LATEST.year:
            raise ValidationError({"year": ["Give a year between 2000 and 2100."]})
        if year > published[0]:
            raise ValidationError(
                {
                    "year": [
                        _("Only completed years are published: %(year)s is not over yet.") % {"year": year}
                    ]
                }
            )
        return Response(network.network(stats.Period.year(year), settings.STATS_MIN_CELL))
