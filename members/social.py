"""Sign-up with a Google, Microsoft, GitHub or OpenID Connect account (docs/sign-in.md).

allauth's social sign-up form is built on `ACCOUNT_SIGNUP_FORM_CLASS`, so it asks what a normal
sign-up asks (the code of conduct to accept, a display name) and saves it the same way
(`SignupForm.signup`). Its own module: allauth's form imports `members.forms`, so defining it
there would be a circular import.
"""

from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm

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
