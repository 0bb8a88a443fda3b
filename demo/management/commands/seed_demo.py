"""Demo content for `make run`, and large data sets for measuring.

manage.py seed_demo                               # idempotent demo site
manage.py seed_demo --ideas 20000 --votes 1000000 # plus a large campaign, bulk inserted
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site as DjangoSite
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from wagtail.models import Locale, Page, Site

from campaigns.models import CampaignIndexPage, CampaignPage, Category
from cms.models import ArticleIndexPage, ArticlePage, HomePage
from cms.services import news_index_setup
from core.sites import sync_sites
from demo import content as demo
from demo import load_test
from ideas.models import (
    ChangelogPage,
    Idea,
    IdeaStageChange,
    RoadmapPage,
    Stage,
)
from ideas.services import idea_move, ideas_import, ideas_merge
from members.models import EDITORS_GROUP, PRODUCT_TEAM_GROUP, ConsentRecord, User
from moderation.models import Flag, FlagReason
from moderation.services import item_flag
from reputation.models import HelpfulMark
from reputation.services import comment_mark_helpful
from segments.models import Segment
from segments.services import segment_refresh
from voting.services import votes_import

DEMO_PASSWORD = "cocrea-demo-2026"  # documented in the README; refused in production
ACCOUNTS = [
    # username, email, display name, staff, superuser, group
    ("admin", "admin@cocrea.test", "Ada Admin", True, True, None),
    ("team", "team@cocrea.test", "Tomás (Product team)", True, False, PRODUCT_TEAM_GROUP),
    ("editor", "editor@cocrea.test", "Elena Editor", True, False, EDITORS_GROUP),
    ("member", "member@cocrea.test", "María Member", False, False, None),
]
VOICES = 30  # demo members who vote and comment


class Command(BaseCommand):
    help = "Load demo content (idempotent). With --ideas/--votes, also a large campaign."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=0, help="Ideas in the large campaign.")
        parser.add_argument("--votes", type=int, default=0, help="Votes in the large campaign.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, ideas, votes, seed, **options):
        if "production" in (settings.SETTINGS_MODULE or ""):
            raise CommandError("seed_demo refuses to run with production settings.")
        self.rng = random.Random(seed)
        # The demo's moves and comments notify the demo accounts (see /notifications/); their
        # e-mails, sent in-process here, are kept in memory instead of flooding the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                home, index = self.pages()
                people = self.accounts()
                self.campaigns(index, people)
                news = self.news(home, people)
                self.pipeline(people)
                self.community(people)
                self.spanish(home, index, news, people)
        if ideas:
            load_test.large_campaign(self, index, ideas, votes)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))

    # Pages -------------------------------------------------------------------------------

    def pages(self):
        home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if home is None:
            # Replace Wagtail's placeholder "Welcome" page (deleting it removes its Site too).
            Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title="Shape what we build next",
                    slug="home",
                    tagline="Share your ideas, vote for the ones you love and follow them onto our roadmap.",
                )
            )
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={
                    "hostname": "localhost",
                    "port": 80,
                    "root_page": home,
                    "site_name": "Cocrea",
                },
            )
        DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={"name": "Cocrea"})
        # Both Site records on the site's public address (SITE_URL; `make run` sets its port).
        sync_sites()
        index = CampaignIndexPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if index is None:
            index = home.add_child(
                instance=CampaignIndexPage(
                    title="Campaigns",
                    slug="campaigns",
                    intro="Every campaign asks one question. Pick one and have your say.",
                )
            )
        for model, spec in ((RoadmapPage, demo.ROADMAP_PAGE), (ChangelogPage, demo.CHANGELOG_PAGE)):
            if not model.objects.exists():
                home.add_child(instance=model(**spec))
        return home, index

    # Spanish -----------------------------------------------------------------------------

    def spanish(self, home, index, news, people):
        """The Spanish tree at /es/: the home page, campaigns (with their categories' Spanish
        names), the roadmap, the changelog and the news, translated as an editor would with
        "Translate" (docs/translation.md). Ideas are members' content: the Spanish campaign
        shows the English one's. Idempotent: a page already translated is left alone."""
        es = Locale.objects.get_or_create(language_code="es")[0]
        publisher = people["admin"]
        self.translate(home.specific, es, publisher, **demo.HOME_ES)
        self.translate(index.specific, es, publisher, **demo.CAMPAIGN_INDEX_ES)
        for model, fields in (
            (RoadmapPage, demo.ROADMAP_PAGE_ES),
            (ChangelogPage, demo.CHANGELOG_PAGE_ES),
        ):
            page = model.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
            if page is not None:
                self.translate(page, es, publisher, **fields)
        for slug, spec in demo.CAMPAIGNS_ES.items():
            campaign = CampaignPage.objects.filter(
                slug=slug, locale__language_code=settings.LANGUAGE_CODE
            ).first()
            if campaign is None:
                continue
            for category in campaign.categories.all():
                name = spec["categories"].get(category.name)
                if name and (category.name_translations or {}).get("es") != name:
                    category.name_translations = {**category.name_translations, "es": name}
                    category.save(update_fields=["name_translations"])
            self.translate(
                campaign,
                es,
                publisher,
                title=spec["title"],
                summary=spec["summary"],
                intro=[
                    ("paragraph", f"<p>{spec['summary']}</p>"),
                    ("paragraph", f"<p>{demo.CAMPAIGN_INTRO_ES}</p>"),
                ],
            )
        spanish_news = self.translate(news.specific, es, publisher, **demo.NEWS_INDEX_ES)
        # Spanish articles go through the same approval, with the same editors' rights.
        news_index_setup(index=spanish_news)
        for slug, (title, summary, paragraphs) in demo.ARTICLES_ES.items():
            article = ArticlePage.objects.filter(
                slug=slug, locale__language_code=settings.LANGUAGE_CODE
            ).first()
            if article is not None:
                self.translate(
                    article,
                    es,
                    publisher,
                    title=title,
                    summary=summary,
                    body=[("paragraph", f"<p>{text}</p>") for text in paragraphs],
                )

    @staticmethod
    def translate(page, locale, publisher, **fields):
        if page.has_translation(locale):
            return page.get_translation(locale)
        # Fresh from the database, as the editor's form would load it.
        translation = type(page).objects.get(pk=page.copy_for_translation(locale).pk)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save_revision(user=publisher).publish(user=publisher)
        return translation

    # People ------------------------------------------------------------------------------

    def accounts(self):
        people = {}
        for username, email, name, staff, superuser, group in ACCOUNTS:
            people[username] = self.account(
                username, email, name, staff=staff, superuser=superuser, group=group
            )
        people["voices"] = [
            self.account(f"demo{n:02d}", f"demo{n:02d}@cocrea.test", f"Demo member {n}")
            for n in range(1, VOICES + 1)
        ]
        return people

    def account(self, username, email, name, staff=False, superuser=False, group=None):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "display_name": name,
                "is_staff": staff,
                "is_superuser": superuser,
                "code_of_conduct_accepted_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if group:
                user.groups.add(Group.objects.get(name=group))
        return user

    # Campaigns ---------------------------------------------------------------------------

    def campaign(self, index, spec, **fields):
        page = CampaignPage.objects.filter(
            slug=spec["slug"], locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if page is None:
            page = CampaignPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                intro=[
                    ("paragraph", f"<p>{spec['summary']}</p>"),
                    (
                        "paragraph",
                        "<p>Submit your idea, vote for the ones you like, and follow them as our product team reviews them.</p>",
                    ),
                ],
                **fields,
            )
            for order, name in enumerate(spec["categories"]):
                page.categories.add(Category(name=name, sort_order=order))
            index.add_child(instance=page)
            page.save_revision().publish()
        return page

    def campaigns(self, index, people):
        now = timezone.now()
        open_campaign = self.campaign(
            index,
            demo.OPEN_CAMPAIGN,
            submission_opens_at=now - timedelta(days=30),
            submission_closes_at=now + timedelta(days=60),
            voting_opens_at=now - timedelta(days=30),
            voting_closes_at=now + timedelta(days=75),
            vote_budget=10,
        )
        self.campaign(
            index,
            demo.UPCOMING_CAMPAIGN,
            submission_opens_at=now + timedelta(days=20),
            submission_closes_at=now + timedelta(days=80),
            voting_opens_at=now + timedelta(days=20),
            voting_closes_at=now + timedelta(days=90),
            vote_budget=5,
            moderation=CampaignPage.Moderation.HOLD,
        )
        closed = self.campaign(
            index,
            demo.CLOSED_CAMPAIGN,
            submission_opens_at=now - timedelta(days=200),
            submission_closes_at=now - timedelta(days=120),
            voting_opens_at=now - timedelta(days=200),
            voting_closes_at=now - timedelta(days=100),
        )
        stages = {s.slug: s for s in Stage.objects.all()}
        self.ideas(
            open_campaign,
            demo.OPEN_IDEAS,
            people,
            stages,
            now,
            ["new"] * 6 + ["under-review", "planned", "in-progress"],
        )
        self.ideas(
            closed,
            demo.CLOSED_IDEAS,
            people,
            stages,
            now - timedelta(days=110),
            # Shipped and declined ideas get there through the pipeline, with a public note.
            ["planned", "in-progress", "under-review"],
        )

    def ideas(self, campaign, specs, people, stages, until, stage_pool):
        if campaign.ideas.exists():
            return
        rng = self.rng
        initial = Stage.initial()
        pipeline_titles = {title for title, _moves in demo.PIPELINE}
        categories = list(campaign.categories.all())
        authors = [people["member"], *people["voices"]]
        rows = []
        for position, (title, description, category, tags) in enumerate(specs):
            stage = initial if position < 3 else stages[rng.choice(stage_pool)]
            if title in pipeline_titles:
                # Moved later along the declared pipeline, from where every idea starts.
                stage = initial
            rows.append(
                {
                    "author": authors[position % len(authors)],
                    "title": title,
                    "description": description,
                    "category": categories[category % len(categories)],
                    "tags": tags,
                    "stage": stage,
                    "created_at": until
                    - timedelta(days=rng.randint(0, 28), hours=rng.randint(0, 23)),
                }
            )
        created = ideas_import(campaign=campaign, rows=rows)
        # Votes: each voice supports a few ideas, within any budget.
        budget = campaign.vote_budget or 12
        votes_import(
            votes=[
                (idea, member, idea.created_at)
                for member in people["voices"]
                for idea in rng.sample(created, k=min(len(created), rng.randint(1, budget)))
            ]
        )
        self.discussion(created[:12], people)

    def discussion(self, ideas, people):
        voices = people["voices"]
        for n, idea in enumerate(ideas):
            for k in range(self.rng.randint(1, 4)):
                author = voices[(n + k) % len(voices)]
                when = idea.created_at + timedelta(hours=k + 1)
                text = demo.COMMENTS[(n + k) % len(demo.COMMENTS)]
                root = load_test.idea_comment(idea, author, text, when)
                if k % 2 == 0:
                    replier = people["team"] if n % 3 == 0 else voices[(n + k + 5) % len(voices)]
                    text = demo.REPLIES[(n + k) % len(demo.REPLIES)]
                    load_test.idea_comment(
                        idea, replier, text, root.submit_date + timedelta(hours=2), parent=root
                    )
            # Counts, follows and notifications follow from the comments' own signals.

    # News --------------------------------------------------------------------------------

    def news(self, home, people):
        """The "News" index with the approval workflow and editors' rights, and three articles,
        one for the segment "Premium customers in Spain" only."""
        index = ArticleIndexPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if index is None:
            index = home.add_child(instance=ArticleIndexPage(**demo.NEWS_INDEX))
        news_index_setup(index=index)
        segment = self.premium_spain(people)
        today = timezone.localdate()
        for slug, title, summary, days_ago, paragraphs, targeted in demo.ARTICLES:
            if ArticlePage.objects.filter(
                slug=slug, locale__language_code=settings.LANGUAGE_CODE
            ).exists():
                continue
            article = ArticlePage(
                title=title,
                slug=slug,
                summary=summary,
                date=today - timedelta(days=days_ago),
                body=[("paragraph", f"<p>{text}</p>") for text in paragraphs],
            )
            index.add_child(instance=article)
            if targeted:
                article.audience.set([segment])
            # Demo content is published directly, as an administrator would after approval.
            article.save_revision(user=people["editor"]).publish(user=people["admin"])
        return index

    @staticmethod
    def premium_spain(people):
        segment = Segment.objects.filter(slug=demo.PREMIUM_SPAIN_SEGMENT["slug"]).first()
        if segment is None:
            segment = Segment.objects.create(
                **demo.PREMIUM_SPAIN_SEGMENT,
                match=Segment.Match.ALL,
                rules=[
                    ("attribute", {"attribute": "tier", "operator": "equals", "values": "premium"}),
                    ("attribute", {"attribute": "country", "operator": "equals", "values": "ES"}),
                ],
            )
        voices = {member.username: member for member in people["voices"]}
        for username in demo.PREMIUM_SPAIN_MEMBERS:
            member = voices[username]
            if member.tier == "premium" and member.country == "ES":
                continue
            member.tier, member.country = "premium", "ES"
            fields = ["tier", "country"]
            if member.marketing_consent_at is None:
                member.marketing_consent_at = timezone.now()
                fields.append("marketing_consent_at")
                ConsentRecord.objects.create(
                    member=member, given=True, source=ConsentRecord.Source.IMPORT
                )
            member.save(update_fields=fields)
        segment_refresh(segment)
        return segment

    # Pipeline ----------------------------------------------------------------------------

    def community(self, people):
        """What the community manager and the moderators find: comments the product team marked
        helpful (points, levels, the dashboard's helpful figures) and reports in the moderation
        queue — a comment three members flagged (hidden until a moderator decides) and an idea
        one flagged. Through the same services as the site; once only."""
        if HelpfulMark.objects.exists() or Flag.objects.exists():
            return
        team, voices = people["team"], people["voices"]
        member_comments = list(
            XtdComment.objects.filter(is_public=True, user__in=voices).order_by("pk")
        )
        for comment in member_comments[::7][:6]:
            comment_mark_helpful(comment=comment, actor=team)
        if member_comments:
            reported = member_comments[-1]
            for flagger in [v for v in voices if v.pk != reported.user_id][:3]:
                item_flag(item=reported, member=flagger, reason=FlagReason.SPAM)
        idea = Idea.objects.filter(status=Idea.Status.PUBLISHED).order_by("-pk").first()
        if idea is not None:
            flagger = next(v for v in voices if v.pk != idea.author_id)
            item_flag(
                item=idea,
                member=flagger,
                reason=FlagReason.OTHER,
                text="This looks like the savings-goal idea again.",
            )

    def pipeline(self, people):
        """Move demo ideas through stages and merge a duplicate, as the product team would, with
        the same services the admin uses. Ideas that already have a history are left alone."""
        titles = {title for title, _moves in demo.PIPELINE}
        titles.update(title for merge in demo.MERGES for title in merge[:2])
        ideas = {i.title: i for i in Idea.objects.filter(title__in=titles).select_related("stage")}
        moved = set(
            IdeaStageChange.objects.filter(idea__in=list(ideas.values())).values_list(
                "idea_id", flat=True
            )
        )
        team = people["team"]
        if not team.groups.filter(name=PRODUCT_TEAM_GROUP).exists():
            team.groups.add(Group.objects.get(name=PRODUCT_TEAM_GROUP))
        team.refresh_from_db()  # `is_team` follows the group membership
        stages = {s.slug: s for s in Stage.objects.all()}
        now = timezone.now()
        for title, moves in demo.PIPELINE:
            idea = ideas.get(title)
            if idea is None or idea.pk in moved:
                continue
            for slug, note, days_ago in moves:
                if idea.stage_id == stages[slug].pk and not note:
                    continue
                change = idea_move(idea=idea, to_stage=stages[slug], actor=team, note=note)
                when = now - timedelta(days=days_ago, hours=self.rng.randint(0, 9))
                self.backdate(idea, change, when)
        for duplicate, original, note in demo.MERGES:
            source, target = ideas.get(duplicate), ideas.get(original)
            if source and target and source.pk not in moved and source.merged_into_id is None:
                ideas_merge(source=source, target=target, actor=team, note=note)

    @staticmethod
    def backdate(idea, change, when):
        # Demo history is spread over past months, so the changelog has several of them.
        IdeaStageChange.objects.filter(pk=change.pk).update(created_at=when)
        fields = {"stage_changed_at": when} if change.from_stage_id != change.to_stage_id else {}
        if change.note:
            fields.update(response_at=when)
        if fields:
            Idea.objects.filter(pk=idea.pk).update(**fields)
