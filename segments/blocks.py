"""The conditions a segment's rules are made of, as StreamField blocks: editors combine them in
the admin, and `segments.rules.rules_queryset` turns them into one query."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

ATTRIBUTES = [
    ("country", _("Country (ISO code, e.g. ES)")),
    ("language", _("Preferred language (e.g. es)")),
    ("tier", _("Customer tier")),
    ("company", _("Company")),
    ("interests", _("Interest (slug)")),
    ("external_id", _("External customer id")),
]
ACTIVITIES = [
    ("ideas", _("Ideas submitted")),
    ("votes", _("Votes cast")),
    ("comments", _("Comments written")),
]


class AttributeBlock(blocks.StructBlock):
    attribute = blocks.ChoiceBlock(choices=ATTRIBUTES, label=_("Profile attribute"))
    operator = blocks.ChoiceBlock(
        choices=[("equals", _("is")), ("in", _("is one of"))], default="equals", label=_("Operator")
    )
    values = blocks.CharBlock(
        label=_("Value(s)"), help_text=_("For “is one of”, separate values with commas.")
    )

    class Meta:
        icon = "user"
        label = _("Profile attribute")


class JoinedBlock(blocks.StructBlock):
    when = blocks.ChoiceBlock(
        choices=[("before", _("before")), ("after", _("on or after"))], label=_("Joined")
    )
    date = blocks.DateBlock(label=_("Date"))

    class Meta:
        icon = "date"
        label = _("Joined")


class ActivityBlock(blocks.StructBlock):
    metric = blocks.ChoiceBlock(choices=ACTIVITIES, label=_("Activity"))
    at_least = blocks.IntegerBlock(min_value=0, default=1, label=_("At least"))

    class Meta:
        icon = "pick"
        label = _("Activity")


class ActiveWithinBlock(blocks.StructBlock):
    days = blocks.IntegerBlock(min_value=1, default=30, label=_("Active within (days)"))

    class Meta:
        icon = "time"
        label = _("Recently active")


class GroupBlock(blocks.StructBlock):
    group = blocks.CharBlock(
        label=_("Group"),
        help_text=_("A group name (e.g. “Product team”), or “staff” for every staff member."),
    )

    class Meta:
        icon = "group"
        label = _("Group membership")


class SegmentRulesBlock(blocks.StreamBlock):
    attribute = AttributeBlock()
    joined = JoinedBlock()
    activity = ActivityBlock()
    active_within = ActiveWithinBlock()
    group = GroupBlock()
