"""OpenAPI schema generation (drf-spectacular)."""


def only_public_api(endpoints, **kwargs):
    """Document our API only, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
