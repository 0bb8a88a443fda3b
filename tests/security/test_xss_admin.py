"""The Wagtail admin shows members' text as text (triage list, board, workspace, member
directory), and the triage CSV export neutralises spreadsheet formulas in every cell."""

import csv
import io

import pytest

from tests.factories import UserFactory, team_member

from .checks import assert_reached, assert_safe
from .conftest import build_world
from .xss_corpus import FORMULA_STARTS, FORMULAS, PAYLOADS

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


def listing(client, url, **params):
    """Every page of a Wagtail listing (`?p=`)."""
    html, number = [], 1
    while True:
        page = get(client, url, p=number, **params)
        html.append(page)
        if f"p={number + 1}" not in page:
            return "".join(html)
        number += 1


def test_triage_list_board_workspace_and_member_directory_show_the_corpus_as_text(client):
    world = build_world()
    client.force_login(team_member())
    html = listing(client, "/admin/ideas/")
    assert_safe(html, "triage list")
    assert_reached(html, PAYLOADS, "triage list")
    for payload in PAYLOADS[:: len(PAYLOADS) // 8]:
        assert_safe(get(client, "/admin/ideas/", q=payload), f"triage search {payload!r}")
    html = get(client, "/admin/ideas/board/")
    assert_safe(html, "board")
    assert_reached(html, PAYLOADS, "board", share=0.3)
    # The workspace is the heaviest admin page: a quarter of the corpus, every kind of payload.
    for payload, idea in list(world.pairs())[::4]:
        html = get(client, f"/admin/ideas/edit/{idea.pk}/")
        assert_safe(html, f"workspace of {payload!r}")
        assert_reached(html, [payload], f"workspace of {payload!r}")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    html = listing(client, "/admin/member_directory/")
    assert_safe(html, "member directory")
    assert_reached(html, PAYLOADS, "member directory")
    for author in world.authors[:: len(PAYLOADS) // 8]:
        html = get(client, f"/admin/member_directory/inspect/{author.pk}/")
        assert_safe(html, f"member {author.company!r}")


def export(client, ideas):
    ids = "&".join(f"id={i.pk}" for i in ideas)
    response = client.post(f"/admin/bulk/ideas/idea/export/?{ids}&next=/admin/ideas/", {})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_triage_csv_export_neutralises_formulas_in_every_member_cell(client):
    world = build_world(comments=False)
    client.force_login(team_member())
    rows = export(client, world.ideas)
    header, body = rows[0], rows[1:]
    assert len(body) == len(PAYLOADS)
    cells = [cell for row in body for cell in row]
    live = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not live, live[:5]
    by_title = {row[header.index("title")]: row for row in body}
    for formula in FORMULAS:
        # the payload is still there, as text behind the apostrophe
        assert "'" + formula[: len(formula)] in by_title, formula
        row = by_title["'" + formula]
        assert row[header.index("author")] == "'" + formula
        assert row[header.index("tags")].startswith("'")


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_would_start_a_formula_get_a_leading_apostrophe(formula):
    from ideas.admin.bulk_actions import _cell

    assert _cell(formula) == "'" + formula
    assert _cell("A fine " + formula) == "A fine " + formula
