"""StreamField blocks shared by articles, standard pages, the home page and campaign intros."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from segments.audience import can_see_page, sees_everything, viewer_segment_ids
from segments.models import Segment

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def _request_user(parent_context):
    request = (parent_context or {}).get("request")
    return request, getattr(request, "user", None)


class CampaignCallToActionBlock(blocks.StructBlock):
    """A button to a campaign. Hidden from visitors who may not see the campaign, so a
    targeted campaign's title never leaks through an article."""

    campaign = blocks.PageChooserBlock(page_type="campaigns.CampaignPage", label=_("Campaign"))
    button_text = blocks.CharBlock(
        label=_("Button text"), max_length=60, default=_("Share your idea")
    )
    text = blocks.CharBlock(
        label=_("Text"), max_length=240, required=False, help_text=_("Optional, above the button.")
    )

    class Meta:
        icon = "pick"
        label = _("Call to action (campaign)")
        template = "components/streamfield/campaign_cta.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        _request, user = _request_user(parent_context)
        campaign = value.get("campaign")
        context["campaign"] = (
            campaign.specific
            if campaign is not None and campaign.live and can_see_page(user, campaign)
            else None
        )
        return context


class SegmentsBlock(blocks.FieldBlock):
    """Choose one or more member segments (checkboxes). Stored as a list of segment ids."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self._required = required
        self._help_text = help_text
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return forms.ModelMultipleChoiceField(
            queryset=Segment.objects.order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=self._required,
            help_text=self._help_text,
        )

    def get_default(self):
        return []

    def to_python(self, value):
        return self.bulk_to_python([value])[0]

    def bulk_to_python(self, values):
        """One query for every SegmentsBlock value of the stream."""
        values = [list(v or []) for v in values]
        wanted = {pk for value in values for pk in value}
        by_pk = Segment.objects.in_bulk(wanted) if wanted else {}
        return [[by_pk[pk] for pk in value if pk in by_pk] for value in values]

    def normalize(self, value):
        # Accept segments or their ids (e.g. `page.body = [("targeted", {"segments": [1]})]`).
        value = list(value or [])
        if all(hasattr(segment, "pk") for segment in value):
            return value
        return self.to_python([getattr(segment, "pk", segment) for segment in value])

    def get_prep_value(self, value):
        return [int(getattr(segment, "pk", segment)) for segment in value or []]

    def value_for_form(self, value):
        return [getattr(segment, "pk", segment) for segment in value or []]

    def value_from_form(self, value):
        # The form field gives Segments after cleaning and raw ids before.
        return list(value or [])

    def get_searchable_content(self, value):
        return []

    class Meta:
        icon = "group"


class TargetedContentBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    cta = CampaignCallToActionBlock()

    class Meta:
        template = "components/streamfield/body.html"


def viewer_segments(request):
    """The segment ids the viewer is treated as having (those previewed when an editor
    previews "as" a segment), and whether they see every variant."""
    user = getattr(request, "user", None)
    ids = viewer_segment_ids(request) if request is not None else frozenset()
    return frozenset(ids or ()), sees_everything(user)


class TargetedBlock(blocks.StructBlock):
    """Content for chosen segments, with an optional fallback for everyone else. Staff see the
    targeted content, labelled with the segments it is shown to."""

    segments = SegmentsBlock(label=_("Shown to"), help_text=_("Members of any of these segments."))
    content = TargetedContentBlock(label=_("Content"))
    fallback = TargetedContentBlock(
        label=_("Fallback"), required=False, help_text=_("Shown to everyone else (optional).")
    )

    class Meta:
        icon = "view"
        label = _("Targeted content")
        template = "components/streamfield/targeted.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request, _user = _request_user(parent_context)
        segments = value.get("segments") or []
        mine, sees_everything = viewer_segments(request)
        inside = any(segment.pk in mine for segment in segments)
        context["show_content"] = inside or sees_everything
        context["show_label"] = sees_everything
        context["segment_names"] = [segment.name for segment in segments]
        return context


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", label=_("Heading"), max_length=120)
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    cta = CampaignCallToActionBlock()
    embed = EmbedBlock(
        label=_("Embed"), help_text=_("A video or post URL (YouTube, Vimeo…)."), max_width=900
    )
    targeted = TargetedBlock()

    class Meta:
        template = "components/streamfield/body.html"


# Site chrome (navigation and footer settings) -----------------------------------------------


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to any URL."""

    label = blocks.CharBlock(
        label=_("Label"), max_length=60, required=False, help_text=_("Default: the page title.")
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("or URL"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value.get("page")) == bool(value.get("url")):
            errors["page"] = ValidationError(_("Choose a page or enter a URL (one of them)."))
        elif value.get("url") and not value.get("label"):
            errors["label"] = ValidationError(_("A link to a URL needs a label."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


SOCIAL_NETWORKS = [
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("linkedin", "LinkedIn"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("x", "X"),
    ("youtube", "YouTube"),
    ("github", "GitHub"),
    ("other", _("Other")),
]


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(choices=SOCIAL_NETWORKS, label=_("Network"))
    url = blocks.URLBlock(label=_("URL"))
    label = blocks.CharBlock(
        label=_("Label"), max_length=60, required=False, help_text=_("Default: the network.")
    )

    class Meta:
        icon = "site"
        label = _("Social link")
