"""Documents follow the audience of the pages that use them. Wagtail serves a document to
anyone who has its address (only its collection's privacy counts), so a file linked from a page
restricted to a segment would be one guess away from an outsider. The `before_serve_document`
hook (registered in `wagtail_hooks.py`) answers 404 when every page that uses the document is
hidden from the visitor (Wagtail's reference index knows the uses). A document no page uses, or
used by at least one page the visitor may see, is served as before. See docs/permissions.md."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page, ReferenceIndex

from .audience import hidden_page_ids, sees_everything


def pages_using_document(document) -> set[int]:
    """Ids of the pages whose content refers to `document` (one query)."""
    return {
        int(object_id)
        for object_id in ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(document),
            to_object_id=str(document.pk),
            base_content_type=ContentType.objects.get_for_model(Page),
        ).values_list("object_id", flat=True)
    }


def may_see_document(user, document) -> bool:
    if sees_everything(user):
        return True
    hidden = hidden_page_ids(user)
    if not hidden:
        return True
    pages = pages_using_document(document)
    return not pages or bool(pages - hidden)


def document_audience_check(document, request):
    if not may_see_document(request.user, document):
        raise Http404
