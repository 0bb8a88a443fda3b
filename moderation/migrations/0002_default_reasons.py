"""The default moderation reasons (each with its code-of-conduct clause, in English and
Spanish), the Moderators group's right to edit them, and a case for every idea or comment
already waiting for review, so the queue starts complete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REASONS = [
    (
        "spam",
        "Spam or advertising",
        "Spam o publicidad",
        "Share ideas and feedback, not advertising: no promotions, repeated posts or links "
        "that only sell something.",
        "Comparte ideas y opiniones, no publicidad: nada de promociones, mensajes repetidos ni "
        "enlaces que solo venden algo.",
    ),
    (
        "abusive",
        "Abusive or disrespectful",
        "Ofensivo o irrespetuoso",
        "Be respectful: no insults, harassment, threats or hateful language towards anyone.",
        "Sé respetuoso: nada de insultos, acoso, amenazas ni lenguaje de odio hacia nadie.",
    ),
    (
        "off-topic",
        "Off-topic",
        "Fuera de tema",
        "Stay on topic: post in the campaign and discussion your contribution is about.",
        "Céntrate en el tema: publica en la campaña y la conversación a la que corresponde tu "
        "aportación.",
    ),
    (
        "personal-data",
        "Personal data",
        "Datos personales",
        "Protect privacy: do not publish anyone's personal data (addresses, phone numbers, "
        "account details), your own included.",
        "Protege la privacidad: no publiques datos personales de nadie (direcciones, "
        "teléfonos, datos de cuentas), tampoco los tuyos.",
    ),
    (
        "illegal",
        "Illegal or unsafe content",
        "Contenido ilegal o peligroso",
        "Keep it legal and safe: nothing that breaks the law or puts people at risk.",
        "Mantén la legalidad y la seguridad: nada que infrinja la ley o ponga a alguien en "
        "riesgo.",
    ),
]


def seed(apps, schema_editor):
    seed_reasons(apps)
    grant_moderators(apps)
    open_cases(apps)


def seed_reasons(apps):
    Reason = apps.get_model("moderation", "ModerationReason")
    for order, (code, label, label_es, clause, clause_es) in enumerate(REASONS):
        Reason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "label_es": label_es,
                "clause": clause,
                "clause_es": clause_es,
                "order": order,
            },
        )


def grant_moderators(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations; this one needs them now.
    config = apps.get_app_config("moderation")
    had_models = getattr(config, "models_module", None)
    config.models_module = had_models or True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = had_models
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="moderation",
            codename__in=[
                "add_moderationreason",
                "change_moderationreason",
                "view_moderationreason",
            ],
        )
    )


def open_cases(apps):
    Idea = apps.get_model("ideas", "Idea")
    Case = apps.get_model("moderation", "Case")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Comment = apps.get_model("django_comments_xtd", "XtdComment")
    for idea in Idea.objects.filter(status="pending"):
        Case.objects.get_or_create(
            idea=idea,
            comment=None,
            defaults={
                "kind": "idea",
                "author_id": idea.author_id,
                "status": "pending",
                "held_reason": "campaign",
                "opened_at": idea.created_at,
            },
        )
    idea_type = ContentType.objects.filter(app_label="ideas", model="idea").first()
    if idea_type is None:
        return
    ideas = dict(Idea.objects.values_list("pk", "pk"))
    for comment in Comment.objects.filter(
        content_type=idea_type, is_public=False, is_removed=False
    ):
        if int(comment.object_pk) in ideas:
            Case.objects.get_or_create(
                comment=comment,
                defaults={
                    "kind": "comment",
                    "idea_id": int(comment.object_pk),
                    "author_id": comment.user_id,
                    "status": "pending",
                    "held_reason": "campaign",
                    "opened_at": comment.submit_date,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("members", "0007_moderators_group"),
        ("django_comments_xtd", "__latest__"),
        ("contenttypes", "__latest__"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
