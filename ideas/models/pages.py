from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.locales import ActiveLanguageURLMixin


class PipelinePage(ActiveLanguageURLMixin, Page):
    """A public view of the pipeline placed under the home page once. The page holds only its
    introduction; its content is read by `content_view(request, page)` into `context_name`."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1
    context_name = ""

    class Meta:
        abstract = True

    def content_view(self, request):
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        content = self.content_view(request)
        context[self.context_name] = content
        context["feeds"] = content["feeds"]
        context.update(content.get("page_context", {}))
        return context


class RoadmapPage(PipelinePage):
    """`/roadmap/`: a column per *on roadmap* stage."""

    template = "ideas/roadmap_page.html"
    context_name = "roadmap"

    class Meta:
        verbose_name = _("roadmap")

    def content_view(self, request):
        from ..pipeline import roadmap_context  # the page's reads; they import the models

        return roadmap_context(request, self)


class ChangelogPage(PipelinePage):
    """`/changelog/`: shipped ideas grouped by month, with the shipping note."""

    template = "ideas/changelog_page.html"
    context_name = "changelog"

    class Meta:
        verbose_name = _("changelog")

    def content_view(self, request):
        from ..pipeline import changelog_context

        return changelog_context(request, self)
