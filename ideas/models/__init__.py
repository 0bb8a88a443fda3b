"""The ideas app's models, by concern; `from ideas.models import X` imports any of them."""

from .drafts import IdeaDraft
from .follows import Follow
from .history import Event, IdeaStageChange, InternalNote
from .ideas import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    RANDOM_KEY_MODULUS,
    TITLE_MAX,
    TITLE_MIN,
    TRENDING_EPOCH,
    TRENDING_HALF_LIFE_SECONDS,
    CampaignIdeaCount,
    Idea,
    IdeaQuerySet,
    TaggedIdea,
    idea_url,
    rice_priority,
    trending_score,
)
from .pages import ChangelogPage, PipelinePage, RoadmapPage
from .rules import ContentRules
from .stages import Stage

__all__ = [
    "DESCRIPTION_MAX",
    "DESCRIPTION_MIN",
    "TITLE_MAX",
    "TITLE_MIN",
    "TRENDING_EPOCH",
    "TRENDING_HALF_LIFE_SECONDS",
    "RANDOM_KEY_MODULUS",
    "CampaignIdeaCount",
    "ChangelogPage",
    "ContentRules",
    "Event",
    "Follow",
    "Idea",
    "IdeaDraft",
    "IdeaQuerySet",
    "IdeaStageChange",
    "InternalNote",
    "PipelinePage",
    "RoadmapPage",
    "Stage",
    "TaggedIdea",
    "idea_url",
    "rice_priority",
    "trending_score",
]
