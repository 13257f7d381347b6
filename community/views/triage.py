"""Walking the triage tree on an escalation, a review item or a mention: one step a page
(links, so it works without JavaScript), then the outcome recorded with a note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from community import extensions
from community.actions.triage import decisions_on, record_decision
from community.triage_tree import OUTCOMES, BadPath, walk
from community.views.helpers import viewer

MAX_STEPS = 10


@login_required
def triage_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = extensions.triage_target(kind)
    if target is None:
        raise Http404("Nothing to triage here.")
    item = target.load(viewer(request), pk)
    data = request.POST if request.method == "POST" else request.GET
    path = [answer[:20] for answer in data.getlist("path")[:MAX_STEPS]]
    context = {
        "kind": kind,
        "item": item,
        "label": target.label(item),
        "back": target.back_url(item),
        "path": path,
    }
    try:
        taken, step, outcome = walk(path)
    except BadPath as wrong:
        return render(request, "community/triage.html", {**context, "error": str(wrong)}, status=400)
    if request.method == "POST":
        try:
            record_decision(item, kind=kind, path=path, note=request.POST.get("note", ""), by=viewer(request))
        except BadPath as wrong:
            return render(request, "community/triage.html", {**context, "error": str(wrong)}, status=400)
        messages.success(request, f"Triage recorded: {outcome.label if outcome else ''}.")
        return redirect(target.back_url(item))
    links = [
        (label, "?" + urlencode([("path", answer) for answer in [*path, key]]))
        for key, label, _ in (step.answers if step else ())
    ]
    back_one = "?" + urlencode([("path", answer) for answer in path[:-1]]) if path else ""
    context = {
        **context, "taken": taken, "step": step, "outcome": outcome, "links": links, "back_one": back_one,
        "decisions": [(d, OUTCOMES[d.outcome].label if d.outcome in OUTCOMES else d.outcome)
                      for d in decisions_on(item)[:10]],
    }  # fmt: skip
    return render(request, "community/triage.html", context)
