from django import forms
from django.utils.translation import gettext_lazy as _

from .models import APPEAL_MAX, FLAG_TEXT_MAX, NOTE_MAX, Decision, FlagReason, ModerationReason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details (needed for “Something else”)"),
        max_length=FLAG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Tell the moderators what is wrong."))
        return cleaned


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should the moderators change their decision?"),
        max_length=APPEAL_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most %(n)d characters. You can appeal a decision once.")
        % {"n": APPEAL_MAX},
    )


class DecisionForm(forms.Form):
    """The queue's action form, for one case or many."""

    ACTIONS = [
        (a, label)
        for a, label in Decision.Action.choices
        if a not in (Decision.Action.UPHOLD, Decision.Action.OVERTURN)
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=ModerationReason.objects.filter(active=True),
        required=False,
        help_text=_("Required to reject or hide: the author reads it with its clause."),
    )
    note = forms.CharField(
        label=_("Note to the author (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppealDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision on the appeal"),
        choices=[
            (Decision.Action.UPHOLD, _("Uphold the decision")),
            (Decision.Action.OVERTURN, _("Overturn the decision")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the author (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
