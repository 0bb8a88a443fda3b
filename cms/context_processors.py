from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language


def site_chrome(request):
    from .selectors import site_chrome as chrome_for

    # The language switcher posts the path without its language prefix: Django's set_language
    # then maps it to any language, because an unprefixed path always resolves.
    path = request.get_full_path()
    prefix = f"/{get_language()}/"
    if get_language() != settings.LANGUAGE_CODE and path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "path_without_language": path,
        # Navigation and footer from the site settings; read only by templates that show them.
        "chrome": SimpleLazyObject(lambda: chrome_for(request)),
    }
