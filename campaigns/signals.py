"""A campaign's translation keeps no categories of its own: ideas point at the source's, which
the translation shows in its language (`Category.name_translations`). Wagtail copies child
objects when it translates a page (the admin's "Translate" and `copy_for_translation` both send
`copy_for_translation_done`), so the copies are dropped, from the rows and the draft alike."""

from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.signals import copy_for_translation_done

from .models import CampaignPage, Category


def translation_copied(sender, source_obj, target_obj, **kwargs):
    if not isinstance(source_obj, CampaignPage):
        return
    if not Category.objects.filter(campaign_id=target_obj.pk).exists():
        return
    Category.objects.filter(campaign_id=target_obj.pk).delete()
    draft = CampaignPage.objects.get(pk=target_obj.pk).get_latest_revision_as_object()
    for category in list(draft.categories.all()):
        draft.categories.remove(category)
    draft.save_revision(clean=False)


def connect():
    copy_for_translation_done.connect(
        translation_copied,
        sender=CopyPageForTranslationAction,
        dispatch_uid="campaigns.signals.translation_copied",
    )
