import pytest
from tests.e2e.conftest import e2e
pytestmark = e2e

def test_peek(page, demo):
    page.goto("/accounts/signup/")
    print(page.locator("main").inner_html())
    page.goto("/accounts/login/")
    print(page.locator("main form").last.inner_html())
    page.goto(demo.url)
    print(page.locator(".filters").inner_html())
    print(page.locator("#idea-list").inner_text())
