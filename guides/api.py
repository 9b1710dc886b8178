"""GET, POST /api/v1/guides/?topic=&language=&q= (CONTRACT.md): scoped like the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from guides import permissions as guide_permissions
from guides import rendering, services
from guides.models import BODY_MAX, Guide
from helpdesk import access
from helpdesk.api.errors import field_errors
from helpdesk.api.fields import TopicCodeField
from helpdesk.api.schema import FIELD_ERRORS
from helpdesk.languages import Language
from helpdesk.models import Municipality, Topic


class GuideSerializer(serializers.ModelSerializer):
    topics = TopicCodeField(many=True, allow_empty=False)
    language = serializers.ChoiceField(choices=Language.choices)
    body_markdown = serializers.CharField(max_length=BODY_MAX)
    body_html = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Guide.Status.choices, default=Guide.Status.PUBLISHED)
    shared = serializers.BooleanField(default=False)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.none(), required=False, help_text="Default: the caller's own."
    )
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    reviewed_by = serializers.SerializerMethodField()
    review_due = serializers.SerializerMethodField()

    class Meta:
        model = Guide
        fields = [
            "id",
            "title",
            "topics",
            "language",
            "body_markdown",
            "body_html",
            "what_to_bring",
            "status",
            "shared",
            "municipality",
            "municipality_name",
            "reviewed_on",
            "reviewed_by",
            "review_due",
            "copied_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "reviewed_on", "copied_from", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["municipality"].queryset = guide_permissions.author_municipalities(request.user)

    def get_body_html(self, guide) -> str:
        """The Markdown rendered and sanitised: no raw HTML, no scripts or event handlers, links
        with http(s), mailto or tel only, images only the guide's own screenshots."""
        return rendering.render(guide.body_markdown)

    def get_reviewed_by(self, guide) -> str | None:
        user = guide.reviewed_by
        return None if user is None else (user.get_full_name() or user.get_username())

    def get_review_due(self, guide) -> bool:
        return services.is_review_due(guide)

    def validate(self, attrs):
        if "municipality" not in attrs:
            choices = list(self.fields["municipality"].queryset[:2])
            if len(choices) != 1:
                raise ValidationError({"municipality": [_("Say which municipality the guide belongs to.")]})
            attrs["municipality"] = choices[0]
        return attrs

    def create(self, validated_data):
        try:
            return services.create(by=self.context["request"].user, **validated_data)
        except DjangoValidationError as error:
            raise ValidationError(field_errors(error)) from error


class CanRead(permissions.BasePermission):
    """Anyone with a role reads; writing needs staff or coordinator of a municipality."""

    def has_permission(self, request, view):
        if access.primary_role(request.user) is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not guide_permissions.can_author(request.user):
            raise PermissionDenied(_("Only staff and coordinators of a municipality write guides."))
        return True


@extend_schema_view(
    list=extend_schema(
        summary="Published guides the caller may read (their municipality's and the network's shared ones)",
        parameters=[
            OpenApiParameter("topic", str, required=False, description="A topic code, such as `taxes`"),
            OpenApiParameter("language", str, required=False, enum=Language.values),
            OpenApiParameter(
                "q", str, required=False, description="Words in the title or text (at most 100 characters)"
            ),
        ],
        responses={200: GuideSerializer(many=True), 400: FIELD_ERRORS},
    ),
    create=extend_schema(
        summary="Write a guide for the caller's municipality",
        responses={201: GuideSerializer, 400: FIELD_ERRORS},
    ),
    retrieve=extend_schema(summary="One guide (drafts only for its own municipality's staff)"),
)
class GuideViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = GuideSerializer
    permission_classes = [permissions.IsAuthenticated, CanRead]

    def get_queryset(self):
        queryset = guide_permissions.visible_guides(self.request.user).select_related(
            "municipality", "reviewed_by"
        )
        queryset = queryset.prefetch_related("topics")
        if self.action != "list":
            return queryset
        params = self.request.query_params
        errors = {}
        topic = None
        if params.get("topic") is not None:
            topic = (
                access.scope(Topic.objects.filter(is_active=True), self.request.user)
                .filter(code=params["topic"])
                .first()
            )
            if topic is None:
                errors["topic"] = [_("Unknown topic code.")]
        language = params.get("language", "")
        if language and language not in Language.values:
            errors["language"] = [_("Give nl, fr or en.")]
        q = params.get("q", "")
        if len(q) > services.Q_MAX:
            errors["q"] = [_("Search with at most %(count)s characters.") % {"count": services.Q_MAX}]
        if errors:
            raise ValidationError(errors)
        queryset = queryset.filter(status=Guide.Status.PUBLISHED)
        return services.search(queryset, q=q, topic=topic, language=language).order_by("title", "pk")
