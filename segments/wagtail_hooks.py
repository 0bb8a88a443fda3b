"""Registration only: the views live in segments.admin."""

from django.utils.translation import gettext_lazy
from django_filters import ModelChoiceFilter
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from members.admin import add_member_filter

from .admin import SegmentsGroup
from .documents import document_audience_check
from .models import Segment

register_snippet(SegmentsGroup)

# A document used only by pages hidden from the visitor is not served to them (404).
hooks.register("before_serve_document", document_audience_check)

add_member_filter(
    "segment",
    ModelChoiceFilter(
        label=gettext_lazy("Segment"),
        field_name="segment_memberships__segment",
        queryset=Segment.objects.all(),
    ),
)
