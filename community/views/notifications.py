from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from community.actions.notifications import mark_read
from community.extensions import work_queues
from community.models import Notification
from community.views.helpers import viewer


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=viewer(request)).select_related("actor")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "community/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=viewer(request))
    mark_read(viewer(request), notification_ids=[notification.pk])
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("community:notifications")


@login_required
@require_POST
def notification_mark_all_read_view(request: HttpRequest) -> HttpResponse:
    mark_read(viewer(request))
    return redirect("community:notifications")


@login_required
def my_work_view(request: HttpRequest) -> HttpResponse:
    """Everything assigned to the viewer, across every work queue."""
    user = viewer(request)
    queues = [(queue.label, queue.items_for(user)) for queue in work_queues() if queue.works_it(user)]
    return render(request, "community/my_work.html", {"queues": queues})
