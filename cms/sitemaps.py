"""The sitemap: every language's pages, each once (Wagtail's own lists the default tree only).
A translation is its own address (/es/campaigns/ahorro/), so it is listed next to its source;
pages with an audience are never listed (`AudienceMixin.get_sitemap_urls`)."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class LocalizedSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        in_a_tree = Q(pk__in=[])
        for path in roots.values_list("path", flat=True):
            in_a_tree |= Q(path__startswith=path)
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
