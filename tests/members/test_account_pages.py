"""The account pages (django-allauth) are in the site's layout and in Spanish say "tú"."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
]
# What allauth's and Django's Spanish say with "usted" on these pages.
USTED = re.compile(
    r"\b(su contraseña|su correo|¿ya tiene|inicie sesión|ha olvidado su|por favor|"
    r"introduzca|ha indicado|utilice|debe escribir|confirme|regístrese)\b",
    re.IGNORECASE,
)


def main(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_pages_use_the_site_layout_and_a_primary_action(client, url):
    html = client.get(url).content.decode()
    assert 'class="site-header"' in html and 'class="auth__card"' in html
    if "<form" in main(html):
        assert "button--primary" in main(html)


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_pages_in_spanish_say_tu_not_usted(client, url):
    html = main(client.get(f"/es{url}").content.decode())
    assert not USTED.search(html), USTED.search(html)


def test_sign_up_in_spanish_reads_informally(client):
    html = main(client.get("/es/accounts/signup/").content.decode())
    assert "¿Ya tienes una cuenta?" in html
    assert "Crear mi cuenta" in html


def test_password_rules_are_one_line_of_help_text_not_a_bullet_list(client):
    html = main(client.get("/accounts/signup/").content.decode())
    assert "<li>Your password" not in html
    help_text = re.search(
        r'<span class="field__help" id="id_password1_helptext">(.*?)</span>', html
    )
    assert help_text and "at least 8 characters" in help_text.group(1)
    assert 'aria-describedby="id_password1_helptext"' in html


def test_sign_in_errors_in_spanish_say_tu(client):
    UserFactory(email="ana@example.com")
    response = client.post(
        "/es/accounts/login/", {"login": "ana@example.com", "password": "wrong-password"}
    )
    html = main(response.content.decode())
    assert "que has escrito no son correctos" in html
    assert 'class="alert alert--error"' in html


def test_a_password_reset_shows_the_check_your_inbox_page(client):
    UserFactory(email="ana@example.com")
    response = client.post("/accounts/password/reset/", {"email": "ana@example.com"}, follow=True)
    assert "Check your inbox" in main(response.content.decode())
    assert len(mail.outbox) == 1


def test_the_sign_in_page_keeps_a_place_for_other_ways_to_sign_in():
    from django.template.loader import get_template

    source = get_template("account/login.html").template.source
    assert "{% block social %}" in source


def test_the_confirmation_email_in_spanish_says_tu(client):
    client.post(
        "/es/accounts/signup/",
        {
            "email": "lucia@example.com",
            "username": "lucia",
            "accept_code_of_conduct": "on",
            "password1": "saving-is-a-habit-2024",
            "password2": "saving-is-a-habit-2024",
        },
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Confirma tu dirección de correo" in message.subject
    assert "usted" not in message.body and "su cuenta" not in message.body
