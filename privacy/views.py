import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.throttle import throttle

from .forms import AccountDeleteForm
from .services import CannotDelete, member_data_export, member_delete


@never_cache
@require_GET
@login_required
@throttle("data_export", methods=("GET",))
def data_export(request):
    """“Download my data”: everything about the signed-in member as a JSON attachment."""
    data = member_data_export(member=request.user)
    filename = f"cocrea-{request.user.username}-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@throttle("account")
def account_delete(request):
    form = AccountDeleteForm(
        request.POST if request.method == "POST" else None, member=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_delete(member=request.user)
        except CannotDelete as refusal:
            messages.error(request, str(refusal))
            return redirect("members:settings")
        logout(request)
        messages.success(request, _("Your account was deleted. Thank you for taking part."))
        return redirect("/")
    return render(request, "privacy/account_delete.html", {"form": form})
