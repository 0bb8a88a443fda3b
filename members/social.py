"""Sign-up with a Google, Microsoft, GitHub or OpenID Connect account (docs/sign-in.md).

allauth's social sign-up form is built on `ACCOUNT_SIGNUP_FORM_CLASS`, so it asks what a normal
sign-up asks (the code of conduct to accept, a display name) and saves it the same way
(`SignupForm.signup`). Its own module: allauth's form imports `members.forms`, so defining it
there would be a circular import.

The provider returns to one callback address without language prefix (cocrea/urls.py), so the
language the visitor started in travels in `next` (`templates/account/_social.html` sends the
language's home page when there is no `next`) and is switched back on at the callback.
"""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm
from django.utils import translation

from core.honeypot import FIELD as HONEYPOT_FIELD


class SocialSignupForm(AllauthSocialSignupForm):
    """SOCIALACCOUNT_FORMS["signup"]: the first sign-in with another account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone sent back by their provider is not a bot filling forms: no honeypot here.
        self.fields.pop(HONEYPOT_FIELD, None)
        user = self.sociallogin.user
        name = " ".join(part for part in (user.first_name, user.last_name) if part).strip()
        if name and "display_name" in self.fields:
            self.initial.setdefault("display_name", name[:80])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SOCIALACCOUNT_ADAPTER."""

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        language = translation.get_language_from_path(sociallogin.state.get("next") or "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
