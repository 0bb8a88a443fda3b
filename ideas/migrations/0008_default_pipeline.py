"""The stages' roles and the moves allowed between them.

Until now a stage's meaning lived in its slug and any stage could move to any stage. This gives
the seeded stages their roles (from the slugs 0003_default_stages seeded; this is the last place
that reads them) and the moves a product team expects. Fresh installs and upgrades run the same
code, so both get the same defaults. A stage an install added itself (no role) loses nothing: it
can still move to every stage and be merged, and every stage (but merged) can still move to it.
"""

from django.db import migrations

ROLES_BY_SEEDED_SLUG = {
    "new": "initial",
    "under-review": "review",
    "planned": "planned",
    "in-progress": "in_progress",
    "shipped": "shipped",
    "declined": "declined",
    "merged": "merged",
}

# role → the roles its ideas may move to. "merged" as a target means "may be merged into another
# idea" (through ideas_merge only); nothing leaves "merged": there is no un-merge.
DEFAULT_TRANSITIONS = {
    "initial": ["review", "planned", "declined", "merged"],
    "review": ["initial", "planned", "declined", "merged"],
    "planned": ["in_progress", "shipped", "review", "declined", "merged"],
    "in_progress": ["shipped", "planned", "declined", "merged"],
    "shipped": ["in_progress"],
    "declined": ["review"],
    "merged": [],
}


def seed_pipeline(apps, schema_editor):
    Stage = apps.get_model("ideas", "Stage")
    taken = set(Stage.objects.exclude(role="").values_list("role", flat=True))
    for slug, role in ROLES_BY_SEEDED_SLUG.items():
        if role not in taken:
            Stage.objects.filter(slug=slug, role="").update(role=role)
    stages = list(Stage.objects.all())
    by_role = {stage.role: stage for stage in stages if stage.role}
    for role, targets in DEFAULT_TRANSITIONS.items():
        if role in by_role:
            by_role[role].next_stages.add(*(by_role[t] for t in targets if t in by_role))
    custom = [stage for stage in stages if not stage.role]
    for stage in custom:
        stage.next_stages.add(*(other for other in stages if other.pk != stage.pk))
    if custom:
        for stage in stages:
            if stage.role != "merged":
                stage.next_stages.add(*(c for c in custom if c.pk != stage.pk))


def unseed_pipeline(apps, schema_editor):
    Stage = apps.get_model("ideas", "Stage")
    Stage.next_stages.through.objects.all().delete()
    Stage.objects.update(role="")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0007_stage_roles_and_transitions")]

    operations = [migrations.RunPython(seed_pipeline, unseed_pipeline)]
