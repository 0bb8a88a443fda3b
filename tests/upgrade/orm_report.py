"""What the upgraded database looks like through the current code, as one line of JSON.

Run by test_upgrade_keeps_data.py in a subprocess, against the upgraded database (DATABASE_URL),
from the repository root:

    python -m tests.upgrade.orm_report members.User ideas.Idea ...

For each model label given (its *current* app): rows, table and the id of its content type
(looked up, never created). Then every content type (and whether a model still has it), the
permissions of every group and of every member who has some of their own (by codename, split
into those on a live content type and those left on a stale one), the pages whose content type
has no model, and the problems of the page tree.
"""

import json
import os
import sys


def report(labels):
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    content_types = {ct.pk: ct for ct in ContentType.objects.all()}
    live = {pk for pk, ct in content_types.items() if ct.model_class() is not None}

    models = {}
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError as error:
            models[label] = {"error": str(error)}
            continue
        opts = model._meta
        ct = next(
            (
                pk
                for pk, ct in content_types.items()
                if (ct.app_label, ct.model) == (opts.app_label, opts.model_name)
            ),
            None,
        )
        models[label] = {
            "count": model._base_manager.count(),
            "table": opts.db_table,
            "content_type": ct,
        }

    def split(permissions):
        out = {"live": [], "stale": []}
        for codename, ct in permissions.values_list("codename", "content_type_id"):
            out["live" if ct in live else "stale"].append(codename)
        return {key: sorted(value) for key, value in out.items()}

    members = get_user_model()._base_manager.filter(user_permissions__isnull=False).distinct()
    return {
        "models": models,
        "content_types": {
            pk: {"app_label": ct.app_label, "model": ct.model, "live": pk in live}
            for pk, ct in content_types.items()
        },
        "group_permissions": {
            group.name: split(group.permissions.all()) for group in Group.objects.all()
        },
        "user_permissions": {
            member.get_username(): split(member.user_permissions.all()) for member in members
        },
        "pages_of_stale_types": list(
            Page.objects.exclude(content_type__in=live).values_list("pk", flat=True)
        ),
        "page_tree_problems": [list(map(str, problem)) for problem in Page.find_problems()],
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings.test")
    print(json.dumps(report(sys.argv[1:]), sort_keys=True))
