"""The Site records follow `SITE_URL`: Wagtail's default `Site` (hostname, port) and
django.contrib.sites' `Site` (its domain, which allauth and django-comments read).

Run after every `migrate` (`core.apps`, unless `SITE_SYNC_ON_MIGRATE` is off) and by
`seed_demo`; idempotent: a record already in line is not written."""

from django.conf import settings

from .links import site_parts


def sync_sites(using="default"):
    """Point the Site records at `SITE_URL`. Returns the number of records changed."""
    from django.contrib.sites.models import Site as DjangoSite
    from wagtail.models import Site

    scheme, hostname, port = site_parts()
    default_port = 443 if scheme == "https" else 80
    domain = hostname if port == default_port else f"{hostname}:{port}"
    changed = 0
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
        changed += 1
    name = getattr(settings, "WAGTAIL_SITE_NAME", "Cocrea")
    current = DjangoSite.objects.using(using).filter(pk=settings.SITE_ID).first()
    if current is None:
        DjangoSite.objects.using(using).create(pk=settings.SITE_ID, domain=domain, name=name)
        changed += 1
    elif current.domain != domain:
        current.domain = domain
        current.save(update_fields=["domain"])
        changed += 1
    if changed:
        DjangoSite.objects.clear_cache()
    return changed


def sync_sites_after_migrate(sender, using="default", **kwargs):
    if getattr(settings, "SITE_SYNC_ON_MIGRATE", True):
        sync_sites(using=using)
