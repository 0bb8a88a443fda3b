"""The public REST API (`/api/v1/`). Reads are open to anyone and show only what the site shows
the same user (token or session; anonymous otherwise): `Idea.objects.public()` and live
campaigns without view restrictions, through the audience policy (`segments.audience`); anything
else is a 404. Writes (moving and merging ideas) call the same services as the admin."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import CampaignPage, Category
from campaigns.selectors import campaigns_live
from core.exceptions import NotAllowed
from ideas.filters import SORTS
from ideas.models import Idea, IdeaStageChange, Stage
from ideas.services import idea_move, ideas_merge
from segments.audience import visible_ideas

from .filters import PublicIdeaFilter
from .pagination import LimitOffsetOrPagePagination
from .permissions import CanMoveIdeas
from .serializers import (
    CampaignSerializer,
    ErrorSerializer,
    IdeaSerializer,
    MergeSerializer,
    MoveSerializer,
    RoadmapColumnSerializer,
    StageChangeSerializer,
    StageSerializer,
)

AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


def public_ideas(user):
    """Public ideas `user` may see, with everything the serializer reads, in a fixed number of
    queries."""
    return (
        visible_ideas(Idea.objects.public(), user)
        .select_related("campaign", "category", "stage")
        .prefetch_related("tags")
        .order_by(*SORTS["trending"])
    )


def invalid(form):
    """400 in the same shape as a refusal: a readable `detail`, plus the errors per field."""
    messages = [f"{field}: {error}" for field, errors in form.errors.items() for error in errors]
    return Response(
        {"detail": " ".join(messages), "errors": form.errors}, status=status.HTTP_400_BAD_REQUEST
    )


class PublicReadMixin:
    authentication_classes = AUTHENTICATION
    permission_classes = [AllowAny]


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="The move was refused, with the reason."),
    401: OpenApiResponse(ErrorSerializer, description="No credentials (send a token)."),
    403: OpenApiResponse(ErrorSerializer, description="Not a member of the product team."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not public."),
}
NOT_FOUND = {404: ERRORS[404]}


@extend_schema(tags=["campaigns"])
@extend_schema_view(retrieve=extend_schema(responses={200: CampaignSerializer, **NOT_FOUND}))
class CampaignViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    """Live campaigns the user may see, newest first."""

    serializer_class = CampaignSerializer
    lookup_url_kwarg = "id"
    pagination_class = LimitOffsetOrPagePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return CampaignPage.objects.none()
        return campaigns_live(user=self.request.user).prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("sort_order", "pk"))
        )


@extend_schema(tags=["stages"])
class StageViewSet(PublicReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The stages of the pipeline, in order."""

    serializer_class = StageSerializer
    queryset = Stage.objects.order_by("order", "pk")
    pagination_class = None


# django-filter answers a filter value it cannot use with the messages per parameter.
INVALID_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A filter value is not valid: messages per parameter."
)


@extend_schema(tags=["ideas"])
@extend_schema_view(
    list=extend_schema(responses={200: IdeaSerializer(many=True), 400: INVALID_FILTER}),
    retrieve=extend_schema(responses={200: IdeaSerializer, **NOT_FOUND}),
)
class IdeaViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    """Public ideas: published, in live campaigns the user may see."""

    serializer_class = IdeaSerializer
    lookup_url_kwarg = "id"
    pagination_class = LimitOffsetOrPagePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicIdeaFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return Idea.objects.none()
        ideas = public_ideas(self.request.user)
        if self.action == "list" and not self.request.query_params.get("stage"):
            # Like the site's list: merged duplicates only under `stage=merged`; each stays
            # reachable at its own address and from its target (`merged_into`).
            ideas = ideas.not_merged()
        return ideas

    def get_permissions(self):
        if self.action in {"move", "merge"}:
            return [CanMoveIdeas()]
        return super().get_permissions()

    @extend_schema(responses={200: StageChangeSerializer(many=True), **NOT_FOUND}, filters=False)
    @action(detail=True, pagination_class=None, filter_backends=[])
    def history(self, request, id=None):
        """The idea's stage history, newest first: moves and official responses."""
        idea = self.get_object()
        changes = IdeaStageChange.objects.filter(idea=idea).select_related(
            "from_stage", "to_stage", "actor"
        )
        return Response(StageChangeSerializer(changes, many=True).data)

    @extend_schema(request=MoveSerializer, responses={200: IdeaSerializer, **ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, id=None):
        """Move the idea to another stage (or, with the same stage and a note, answer it
        officially). Product team only."""
        idea = self.get_object()
        form = MoveSerializer(data=request.data)
        if not form.is_valid():
            return invalid(form)
        try:
            idea_move(
                idea=idea,
                to_stage=form.validated_data["stage"],
                actor=request.user,
                note=form.validated_data["note"],
            )
        except NotAllowed as refused:
            return Response({"detail": refused.reason}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=MergeSerializer, responses={200: IdeaSerializer, **ERRORS})
    @action(detail=True, methods=["post"], filter_backends=[])
    def merge(self, request, id=None):
        """Mark the idea as a duplicate of `target`: votes and followers move there. Product
        team only."""
        source = self.get_object()
        form = MergeSerializer(data=request.data)
        if not form.is_valid():
            return invalid(form)
        target = public_ideas(request.user).filter(pk=form.validated_data["target"]).first()
        if target is None:
            return Response(
                {"detail": "No public idea with this id."}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            ideas_merge(
                source=source, target=target, actor=request.user, note=form.validated_data["note"]
            )
        except NotAllowed as refused:
            return Response({"detail": refused.reason}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(tags=["roadmap"], responses=RoadmapColumnSerializer(many=True))
class RoadmapView(PublicReadMixin, APIView):
    """The public roadmap: one column per *on roadmap* stage, most voted ideas first."""

    def get(self, request):
        stages = list(Stage.objects.filter(on_roadmap=True).order_by("order", "pk"))
        ideas = public_ideas(request.user).filter(stage__in=stages).order_by("-vote_count", "-id")
        columns = {stage.pk: {"stage": stage, "ideas": []} for stage in stages}
        for idea in ideas:
            columns[idea.stage_id]["ideas"].append(idea)
        serializer = RoadmapColumnSerializer(
            list(columns.values()), many=True, context={"request": request}
        )
        return Response(serializer.data)


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other address under /api/v1/ (`/ideas/0.5/`, a typo): the API's own 404 in JSON,
    not the site's HTML page, so that a client always gets the content type it asked for."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        # Raised inside APIView.dispatch: answered by DRF's exception handler, for every method.
        raise NotFound
