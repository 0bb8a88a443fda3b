"""One world of hostile content per output group: every payload of the corpus as a member's
display name and company, and as the title, description, tag and comment of an idea."""

from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from ideas.models import Idea, Stage
from members.models import User
from tests.factories import IdeaFactory, UserFactory, make_campaign

from .xss_corpus import PAYLOADS, fit

TITLE_MAX = Idea._meta.get_field("title").max_length
NAME_MAX = User._meta.get_field("display_name").max_length
COMPANY_MAX = User._meta.get_field("company").max_length
TAG_MAX = 100


@dataclass
class World:
    campaigns: list
    ideas: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    def pairs(self):
        return zip(PAYLOADS, self.ideas, strict=True)


def description_for(payload):
    return f"{payload}\n\nWhy it matters: {payload}"


def build_world(stage="new", comments=True, on_commit=None):
    """`stage`: the slug every idea is in. Comments are written with their signals (counts,
    events); pass `django_capture_on_commit_callbacks` as `on_commit` to run what they queue."""
    campaigns = [make_campaign(title="Hostile campaign A"), make_campaign(title="Hostile B")]
    world = World(campaigns=campaigns)
    to_stage = Stage.objects.get(slug=stage)
    for n, payload in enumerate(PAYLOADS):
        author = UserFactory(
            username=f"hostile{n}",
            display_name=fit(payload, NAME_MAX),
            company=fit(payload, COMPANY_MAX),
        )
        idea = IdeaFactory(
            campaign=campaigns[n % 2],
            author=author,
            title=fit(payload, TITLE_MAX),
            description=description_for(payload),
            stage=to_stage,
        )
        idea.tags.add(fit(payload, TAG_MAX))
        world.ideas.append(idea)
        world.authors.append(author)
    if comments:
        write_comments(world, on_commit)
    return world


def write_comments(world, on_commit=None):
    """One comment per idea, by its author, saying the idea's payload."""
    content_type = ContentType.objects.get_for_model(Idea)
    for author, idea, payload in zip(world.authors, world.ideas, PAYLOADS, strict=True):

        def write(author=author, idea=idea, payload=payload):
            return XtdComment.objects.create(
                content_type=content_type,
                object_pk=str(idea.pk),
                site_id=1,
                user=author,
                user_name=author.username,
                comment=payload,
                submit_date=timezone.now(),
            )

        if on_commit is None:
            world.comments.append(write())
        else:
            with on_commit(execute=True):
                world.comments.append(write())


@pytest.fixture
def world(db):
    return build_world()
