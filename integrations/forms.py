from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import WEBHOOK_EVENTS


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WEBHOOK_EVENTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "What this endpoint hears about. Official responses are sent as stage changes."
        ),
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if urlsplit(url).scheme not in {"http", "https"}:
            raise forms.ValidationError(_("Use an http:// or https:// address."))
        return url
