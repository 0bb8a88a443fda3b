from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.honeypot import HoneypotField

from .models import Interest, User
from .services import PROFILE_FIELDS, member_profile_update


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
    # Bots fill it; the sign-up view refuses a filled one quietly (cocrea/urls.py).
    website = HoneypotField()

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
    """What a member edits about themselves. The customer tier and external id are the brand's
    (set by staff or an import), so they are shown, not edited."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("The language of the e-mails we send you."),
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"),
        queryset=Interest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Topics you care about: we use them to show you what matters to you."),
        error_messages={"invalid_choice": _("Choose interests from the list.")},
    )
    marketing_consent = forms.BooleanField(
        label=_("Send me news and announcements by e-mail"),
        required=False,
        help_text=_("You can change your mind at any time, here or from any of our e-mails."),
    )

    class Meta:
        model = User
        fields = ["display_name", "language", "country", "company", "interests"]
        labels = {"display_name": _("Display name"), "country": _("Country")}
        error_messages = {
            "display_name": {
                "max_length": _("Keep your display name under %(limit_value)d characters.")
            },
            "company": {"max_length": _("Keep the company name under %(limit_value)d characters.")},
            "country": {"invalid_choice": _("Choose a country from the list.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Site default"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]
        self.fields["language"].error_messages["invalid_choice"] = _(
            "Choose one of the languages in the list."
        )
        self.fields["country"].required = False
        self.fields["company"].help_text = _("Optional: the company you work for.")
        if not Interest.objects.exists():
            del self.fields["interests"]
        # Never ticked unless the member already opted in: unticking withdraws.
        self.fields["marketing_consent"].initial = bool(
            self.instance and self.instance.has_marketing_consent
        )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data.get("display_name", "").split())
        if name and not any(ch.isalnum() for ch in name):
            raise forms.ValidationError(_("Use at least one letter or digit in your name."))
        return name

    def clean_company(self):
        return " ".join(self.cleaned_data.get("company", "").split())

    def save(self, commit=True):
        if not commit:
            raise ValueError("ProfileForm saves through members.services.member_profile_update")
        data = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        return member_profile_update(
            member=self.instance,
            data=data,
            interests=self.cleaned_data["interests"] if "interests" in self.fields else None,
            marketing_consent=self.cleaned_data["marketing_consent"],
        )
