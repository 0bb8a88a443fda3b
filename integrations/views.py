"""Admin screens for webhooks (registered in wagtail_hooks.py): endpoints are edited by
administrators; the delivery log is written by the worker only and can be looked at, not
changed."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from .forms import WebhookEndpointForm
from .models import WebhookDelivery, WebhookEndpoint


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Allows looking (the model's "view" permission, or superuser) and nothing else."""

    READ = frozenset({"view"})

    def user_has_permission(self, user, action):
        return action in self.READ and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in self.READ]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Endpoints")
    copy_view_enabled = False
    list_display = ["name", "url", "format", "is_active", "created_at"]
    list_filter = ["is_active", "format"]
    search_fields = ["name", "url"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("format"),
            FieldPanel("events"),
            FieldPanel("secret"),
            FieldPanel("is_active"),
        ],
        base_form_class=WebhookEndpointForm,
    )


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint", "event")


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Delivery log")
    index_view_class = DeliveryIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False
    form_fields = []  # never edited: the read-only policy refuses add, change and delete
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "endpoint"]
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "response_body",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]


class WebhooksViewSetGroup(ModelViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "link-external"
    items = (WebhookEndpointViewSet("webhooks"), WebhookDeliveryViewSet("webhook_deliveries"))
