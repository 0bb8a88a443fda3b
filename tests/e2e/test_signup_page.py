"""The sign-up page is styled like the rest of the site at desktop and phone widths, in English
and in Spanish (which says "tú")."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

BRAND = "rgb(11, 92, 173)"  # --brand in static/css/cocrea.css

WORDING = {
    "en": {"button": "Create my account", "sign_in": "Already have an account?", "h1": "Join"},
    "es": {"button": "Crear mi cuenta", "sign_in": "¿Ya tienes una cuenta?", "h1": "Únete a"},
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_sign_up_page_is_styled(new_context, viewport, language, screenshot_dir):
    page = new_context(viewport=viewport).new_page()
    prefix = "/es" if language == "es" else ""
    page.goto(f"{prefix}/accounts/signup/")
    words = WORDING[language]
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["h1"])
    expect(page.locator("main")).to_contain_text(words["sign_in"])

    button = page.get_by_role("button", name=words["button"])
    expect(button).to_be_visible()
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == BRAND
    assert button.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"

    # A centred card, not a form flush against the left edge; nothing scrolls sideways.
    card = page.locator(".auth__card").bounding_box()
    email = page.locator("input[name=email]").bounding_box()
    assert card["x"] >= 8 and email["x"] >= card["x"] + 12, (card, email)
    if viewport == DESKTOP:
        centre = card["x"] + card["width"] / 2
        assert abs(centre - viewport["width"] / 2) < 40, card
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the sign-up page scrolls sideways by {overflow}px"

    # Labels above full-width fields, the password rules as help text, not a bullet list.
    assert email["width"] >= card["width"] * 0.7, (card, email)
    expect(page.locator("main form li")).to_have_count(0)
    expect(page.locator("#id_password1_helptext")).to_be_visible()
    assert page.locator("#id_password1").get_attribute("aria-describedby") == (
        "id_password1_helptext"
    )
    if viewport == DESKTOP and language == "en":
        page.screenshot(path=screenshot_dir / "signup.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sign_up_error_is_shown_next_to_its_field_in_spanish(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/es/accounts/signup/")
    page.locator("[name=email]").fill("lucia@example.com")
    page.locator("[name=username]").fill("lucia")
    page.locator("[name=accept_code_of_conduct]").check()
    page.locator("[name=password1]").fill("saving-is-a-habit-2024")
    page.locator("[name=password2]").fill("another-password-2024")
    page.get_by_role("button", name="Crear mi cuenta").click()
    errors = page.locator(".field__errors")
    expect(errors.first).to_contain_text("Tienes que escribir la misma contraseña")
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
