"""What the public API shows. Only public fields: never internal notes, the assignee, RICE
scores or anyone's e-mail address. Every field is listed by name, so a new model field never
leaks by accident."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import CampaignPage, Category, Phase
from core.links import absolute
from ideas.models import Idea, IdeaStageChange, Stage, idea_url
from ideas.services import NOTE_MAX


def absolute_page_url(page, request):
    url = page.get_url(request=request) if page is not None else None
    if not url:
        return None
    # On the site's public address (`SITE_URL`), whatever host the API was called through.
    return absolute(url)


def absolute_idea_url(idea, request):
    campaign_url = absolute_page_url(idea.campaign, request)
    return idea_url(idea, campaign_url) if campaign_url else None


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["name", "slug"]


class StageRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Stage
        fields = ["slug", "name"]


class StageSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Stage
        fields = ["slug", "name", "order", "colour", "is_closed", "on_roadmap"]


class CampaignSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    phase = serializers.ChoiceField(choices=Phase.choices, read_only=True)
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = CampaignPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "phase",
            "summary",
            "submission_opens_at",
            "submission_closes_at",
            "voting_opens_at",
            "voting_closes_at",
            "vote_budget",
            "categories",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, campaign):
        return absolute_page_url(campaign, self.context.get("request"))


class CampaignRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignPage
        fields = ["id", "title", "slug"]


class IdeaSerializer(serializers.ModelSerializer):
    campaign = CampaignRefSerializer(read_only=True)
    category = CategorySerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    stage = StageRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Idea.Status.choices, read_only=True)
    url = serializers.SerializerMethodField()
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    response = serializers.CharField(
        read_only=True, help_text=_("The latest official response of the product team.")
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "description",
            "campaign",
            "category",
            "tags",
            "stage",
            "status",
            "vote_count",
            "comment_count",
            "created_at",
            "stage_changed_at",
            "url",
            "response",
            "response_at",
            "merged_into",
        ]

    def get_tags(self, idea) -> list[str]:
        # Reads the prefetched tags: sorted in Python, so no query per idea.
        return sorted(tag.name for tag in idea.tags.all())

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, idea):
        return absolute_idea_url(idea, self.context.get("request"))


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = StageRefSerializer(read_only=True, allow_null=True)
    to_stage = StageRefSerializer(read_only=True)
    actor = serializers.SerializerMethodField(
        help_text=_("The public name of the team member, never an e-mail address.")
    )
    is_response = serializers.BooleanField(read_only=True)

    class Meta:
        model = IdeaStageChange
        fields = ["id", "from_stage", "to_stage", "note", "is_response", "actor", "created_at"]

    def get_actor(self, change) -> str | None:
        return change.actor.public_name if change.actor_id else None


class RoadmapColumnSerializer(serializers.Serializer):
    stage = StageRefSerializer()
    ideas = IdeaSerializer(many=True)


class MoveSerializer(serializers.Serializer):
    stage = serializers.SlugRelatedField(
        slug_field="slug", queryset=Stage.objects.all(), help_text=_("The slug of the stage.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_MAX,
        help_text=_("A public note; required by some stages (declined, merged)."),
    )


class MergeSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text=_("The id of the idea this one duplicates."))
    note = serializers.CharField(max_length=NOTE_MAX, help_text=_("Why they are the same."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why the request was refused."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Invalid input: the errors per field."),
    )
