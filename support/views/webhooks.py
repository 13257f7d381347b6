"""Outbound webhook endpoints (support staff): add one (its secret is shown on its page),
see its deliveries, replay one, switch it off or on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from support.actions import webhooks as actions
from support.forms import WebhookEndpointForm
from support.models import EventDelivery, WebhookEndpoint
from support.views.helpers import staff_member


@login_required
def webhooks_view(request: HttpRequest) -> HttpResponse:
    user = staff_member(request)
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        endpoint = actions.create_endpoint(
            url=form.cleaned_data["url"], events=form.cleaned_data["events"],
            description=form.cleaned_data["description"], by=user,
        )  # fmt: skip
        messages.success(request, "Endpoint added: give its secret to the receiver to verify signatures.")
        return redirect(endpoint)
    context = {"form": form, "endpoints": WebhookEndpoint.objects.all()}
    return render(request, "support/webhooks.html", context, status=400 if form.errors else 200)


@login_required
def webhook_view(request: HttpRequest, pk: int) -> HttpResponse:
    staff_member(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    deliveries = endpoint.deliveries.all()[:50]
    return render(request, "support/webhook.html", {"endpoint": endpoint, "deliveries": deliveries})


@login_required
@require_POST
def webhook_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_member(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    active = request.POST.get("active") == "on"
    actions.set_active(endpoint, active=active, by=user)
    messages.success(request, "Switched on." if active else "Switched off: nothing is sent to it.")
    return redirect(endpoint)


@login_required
@require_POST
def replay_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_member(request)
    delivery = get_object_or_404(EventDelivery.objects.select_related("endpoint"), pk=pk)
    if actions.replay(delivery, by=user):
        messages.success(request, "Delivered again.")
    else:
        messages.error(request, f"The endpoint did not take it: {delivery.error or delivery.status_code}.")
    return redirect(delivery.endpoint)
