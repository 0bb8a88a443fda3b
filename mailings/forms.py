from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import ArticlePage
from segments.models import Segment


class CampaignForm(forms.Form):
    article = forms.ModelChoiceField(
        label=_("Article"),
        queryset=ArticlePage.objects.none(),
        help_text=_("Only published articles can be sent."),
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Segments"),
        queryset=Segment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None chosen: the article's audience, or every member who accepted news e-mails "
            "when the article is for everyone. A restricted article only ever goes to its "
            "audience."
        ),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        required=False,
        help_text=_("Empty: the article's title."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = ArticlePage.objects.live().order_by("-date", "-pk")
