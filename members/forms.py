from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown next to your ideas and comments. Defaults to your username."),
    )
    accept_code_of_conduct = forms.BooleanField(
        label=_("I accept the code of conduct"),
        required=True,
        error_messages={"required": _("You need to accept the code of conduct to join.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_code_of_conduct"].help_text = format_html(
            '<a href="{}">{}</a>', reverse_lazy("code_of_conduct"), _("Read the code of conduct")
        )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        user.code_of_conduct_accepted_at = timezone.now()
        user.language = getattr(request, "LANGUAGE_CODE", "") or ""
        user.save(update_fields=["display_name", "code_of_conduct_accepted_at", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]
        widgets = {
            "language": forms.Select(choices=[("", "—"), ("en", "English"), ("es", "Español")])
        }
