"""Test data. Pages are built under a fresh site tree; everything else with factory-boy."""

from datetime import timedelta
from importlib import import_module

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from wagtail.models import Page, Site

from campaigns.models import CampaignIndexPage, CampaignPage, Category
from cms.models import HomePage
from ideas.models import Idea, Stage
from members.models import User

PASSWORD = "a-good-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    display_name = factory.LazyAttribute(lambda u: f"{u.username.title()}")
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def ensure_baseline():
    """Rows the migrations create (root page, stages, groups). Transactional tests flush them,
    so rebuild them when missing."""
    if not Stage.objects.exists():
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        seed = import_module("ideas.migrations.0003_default_stages")
        seed.seed_stages(apps, None)
        import_module("ideas.migrations.0008_default_pipeline").seed_pipeline(apps, None)
        for config in apps.get_app_configs():
            create_permissions(config, verbosity=0)
        import_module("members.migrations.0002_groups").create_groups(apps, None)
        _grant_product_team()
    from moderation.models import ModerationReason

    if not ModerationReason.objects.exists():
        from django.apps import apps

        import_module("moderation.migrations.0002_default_reasons").seed_reasons(apps)
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")
    # Locale ids are kept per process (core.locales): forget those of a flushed database and
    # look them up now, outside any query count.
    from core import locales

    locales.forget()
    locales.locale_id("en"), locales.locale_id("es")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))


GROUP_GRANTS = (
    "ideas.migrations.0005_product_team_permissions",
    "members.migrations.0005_editors_segment_permissions",
    "mailings.migrations.0002_editors_permissions",
    "cms.migrations.0009_editors_translate",
)


def _grant_product_team():
    grant_group_permissions()


def grant_group_permissions():
    """The model permissions the data migrations give the Product team and Editors groups
    (flushed by transactional tests; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    # Models that left `members` since those migrations were written (they name the old app).
    moved = import_module("members.migrations.0006_move_out_segments_notifications_follows").MOVED
    for module in GROUP_GRANTS:
        grants = import_module(module)
        group, _created = Group.objects.get_or_create(name=grants.GROUP)
        for app_label, model, actions in grants.PERMISSIONS:
            if app_label == "members":
                app_label = moved.get(model, app_label)
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


def default_stage():
    ensure_baseline()
    return Stage.initial()


def site_tree():
    """Home page and campaign index, as the demo site has them."""
    ensure_baseline()
    home = HomePage.objects.first()
    if home is None:
        Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Cocrea",
            },
        )
    index = CampaignIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
    return home, index


_campaigns = iter(range(1, 10**6))


def make_campaign(phase="open", categories=("Savings", "Security"), **fields):
    """A published campaign in the given phase: upcoming, open (ideas and votes), voting, closed."""
    _home, index = site_tree()
    now = timezone.now()
    day = timedelta(days=1)
    windows = {
        "upcoming": (now + day, now + 10 * day, now + day, now + 20 * day),
        "open": (now - day, now + 10 * day, now - day, now + 20 * day),
        "voting": (now - 10 * day, now - day, now - 10 * day, now + 10 * day),
        "closed": (now - 20 * day, now - 10 * day, now - 20 * day, now - day),
    }[phase]
    n = next(_campaigns)
    values = {
        "title": f"Campaign {n}",
        "slug": f"campaign-{n}",
        "submission_opens_at": windows[0],
        "submission_closes_at": windows[1],
        "voting_opens_at": windows[2],
        "voting_closes_at": windows[3],
        **fields,
    }
    campaign = CampaignPage(**values)
    for order, name in enumerate(categories):
        campaign.categories.add(Category(name=name, sort_order=order))
    index.add_child(instance=campaign)
    campaign.save_revision().publish()
    return CampaignPage.objects.get(pk=campaign.pk)


def translate(page, language="es", **fields):
    """`page`'s published translation (as an editor makes it with "Translate"): its parents are
    translated first when they are not yet, then the given fields are set."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    page = page.specific
    parent = page.get_parent().specific
    if parent.depth > 1 and not parent.has_translation(locale):
        translate(parent, language)
    # Fresh from the database, as the editor's form would load it.
    translation = type(page).objects.get(pk=page.copy_for_translation(locale).pk)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea
        skip_postgeneration_save = True

    campaign = factory.LazyFunction(make_campaign)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"A helpful idea number {n}")
    description = "Explain the problem and who has it, in a few friendly sentences."
    stage = factory.LazyFunction(default_stage)
    status = Idea.Status.PUBLISHED


def team_member(**fields):
    """A staff member in the Product team group (can triage in the admin)."""
    from django.contrib.auth.models import Group

    from members.models import PRODUCT_TEAM_GROUP

    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=PRODUCT_TEAM_GROUP))
    user.refresh_from_db()
    return user


def editor(**fields):
    """A staff member in the Editors group (reaches the admin, does not triage)."""
    from django.contrib.auth.models import Group

    from members.models import EDITORS_GROUP

    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def moderator(**fields):
    """A staff member in the Moderators group: reaches the admin for the queue and suspensions
    (does not triage)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from members.models import MODERATORS_GROUP

    ensure_baseline()
    from django.contrib.auth.models import Permission

    import_module("members.migrations.0007_moderators_group").create_moderators(apps, None)
    # What moderation's 0002 migration grants (without creating permissions: a transactional
    # test's serialized rollback would find them twice).
    Group.objects.get(name=MODERATORS_GROUP).permissions.add(
        *Permission.objects.filter(
            content_type__app_label="moderation", codename__endswith="_moderationreason"
        ).exclude(codename="delete_moderationreason")
    )
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def comment_on(
    idea, user=None, text="A thoughtful comment about this idea.", *, parent=None, **fields
):
    """A comment on `idea` through the model, as django-comments-xtd writes it."""
    from django.contrib.contenttypes.models import ContentType
    from django_comments_xtd.models import XtdComment

    user = user or UserFactory()
    return XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site_id=1,
        user=user,
        user_name=user.username,
        comment=text,
        parent_id=parent.pk if parent else 0,
        **fields,
    )


def suspend(member, *, days=30, permanent=False, reason="Repeated spam links.", actor=None):
    """`member` suspended by a moderator, for `days` (or permanently), through the service."""
    from datetime import timedelta

    from members.services import member_suspend

    until = None if permanent else timezone.now() + timedelta(days=days)
    return member_suspend(member=member, until=until, reason=reason, actor=actor or moderator())


# Members and segments (issue 4) ----------------------------------------------------------------


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.Interest"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Interest {n}")
    slug = factory.LazyAttribute(lambda i: i.name.lower().replace(" ", "-"))


def rule(kind, **value):
    """One segment rule as StreamField data: rule("attribute", attribute="country",
    operator="equals", values="ES"), rule("joined", when="before", date=date(2024, 1, 1)),
    rule("activity", metric="votes", at_least=2), rule("active_within", days=30),
    rule("group", group="staff")."""
    return (kind, value)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "segments.Segment"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Segment {n}")
    slug = factory.Sequence(lambda n: f"segment-{n}")
    match = "all"
    rules = factory.LazyFunction(list)

    @factory.post_generation
    def include(self, create, extracted, **kwargs):
        if create and extracted:
            self.include.set(extracted)

    @factory.post_generation
    def exclude(self, create, extracted, **kwargs):
        if create and extracted:
            self.exclude.set(extracted)


# Reputation (issue 11) -------------------------------------------------------------------------


def like(comment, user):
    """`user` likes `comment` (django-comments-xtd's “I liked it” flag)."""
    from django_comments.models import CommentFlag
    from django_comments_xtd.models import LIKEDIT_FLAG

    return CommentFlag.objects.create(
        comment=comment, user=user, flag=LIKEDIT_FLAG, flag_date=timezone.now()
    )


def total_points(member):
    """A member's cached total (0 without a row)."""
    from reputation.models import MemberPoints

    return MemberPoints.objects.filter(member=member).values_list("points", flat=True).first() or 0


def ledger_points(member):
    from django.db.models import Sum

    from reputation.models import PointsEntry

    return PointsEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0
