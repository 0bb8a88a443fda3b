from rest_framework.pagination import LimitOffsetPagination


class LimitOffsetOrPagePagination(LimitOffsetPagination):
    """`?limit=20&offset=40`, or `?page=3` (with `limit` as the page size) for clients that
    count in pages. Both answer `{count, next, previous, results}`."""

    default_limit = 20
    max_limit = 100
    page_query_param = "page"

    def get_offset(self, request):
        page = request.query_params.get(self.page_query_param)
        if page and self.offset_query_param not in request.query_params:
            try:
                number = max(int(page), 1)
            except ValueError:
                number = 1
            return (number - 1) * self.get_limit(request)
        return super().get_offset(request)

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number (1, 2, …), instead of offset.",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

    def get_paginated_response_schema(self, schema):
        # DRF describes `next`/`previous` with OpenAPI 3.0's `nullable`; the schema is 3.1.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {**link, "example": "https://example.org/api/v1/ideas/?limit=20&offset=40"},
                "previous": {**link, "example": "https://example.org/api/v1/ideas/?limit=20"},
                "results": schema,
            },
        }
