"""Where community lets later apps in, without importing them (apps depend one way:
support → community → accounts).

- ``question panels``: a panel shown on a question page (support shows its status and
  the "I still need help" / "Escalate" buttons). A provider returns the template and its
  context for a question and viewer, or None; what it must know of every thread comes
  as annotations on the page's query for the thread (``Question.objects.for_page()``).
- ``thread events``: community actions announce what happened on a thread (an answer, a
  comment, an acceptance) inside their transaction; listeners (support's escalations)
  react in the same transaction.
- ``work queues``: queue models whose items a person can hold, for the "My work" page.
- ``feedback tags``: the tags that route a thread to product feedback (reviewers add one
  to route a post there).
- ``redaction listeners``: a moderator redacted a text from a thread; listeners scrub
  the copies they keep (support: stored digests) and say how many places changed.
- ``triage targets``: what the triage tree can be walked on ("review" here; support adds
  "escalation" and "mention"): how to load one for a viewer (refusing who may not) and
  where to go back to.
- ``permission rules``: modules of ``can_*`` rules that the ``{% can %}`` template tag
  answers from, after community's own (support registers ``support.permissions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from community.models import Question

PanelProvider = Callable[["Question", "HttpRequest"], "tuple[str, dict[str, Any]] | None"]
ThreadListener = Callable[["ThreadEvent"], None]

_panels: list[PanelProvider] = []
_panel_annotations: list[Callable[[], dict[str, Any]]] = []
_listeners: list[ThreadListener] = []
_queues: list[WorkQueue] = []
_idea_checks: list[Callable[[Question], bool]] = []
_feedback_tags: list[Callable[[], list[str]]] = []
_rule_modules: list[Any] = []
_redaction_listeners: list[Callable[[Question, str], int]] = []


@dataclass(frozen=True)
class ThreadEvent:
    # "question_asked", "question_edited", "question_deleted", "question_restored",
    # "question_merged" (post: the question it was merged into), "question_closed",
    # "answer_posted", "comment_posted", "answer_accepted", "official_reply_helpful",
    # "needs_staff" (post: something with a ``detail``: a flag, or a reviewer's note)
    kind: str
    question: Question
    by: User | None  # None: no one in particular (members' flags hid the question)
    post: Any = None


@dataclass(frozen=True)
class WorkQueue:
    label: str
    items_for: Callable[[User], list[Any]]  # open items the person holds, each with a get_absolute_url
    works_it: Callable[[User], bool]  # whether the person works this queue at all


@dataclass(frozen=True)
class TriageTarget:
    kind: str
    load: Callable[[User, int], Any]  # the object for this viewer; raises Http404 / PermissionDenied
    label: Callable[[Any], str]  # what it is, in a few words
    back_url: Callable[[Any], str]


_triage_targets: dict[str, TriageTarget] = {}


def register_triage_target(target: TriageTarget) -> None:
    _triage_targets[target.kind] = target


def triage_target(kind: str) -> TriageTarget | None:
    return _triage_targets.get(kind)


def register_question_panel(
    provider: PanelProvider, *, annotations: Callable[[], dict[str, Any]] | None = None
) -> None:
    """``annotations``: what the panel needs to know about every thread, as queryset
    annotations that the question page's one query for the thread carries (so a panel
    with nothing to show costs no query of its own)."""
    if provider not in _panels:
        _panels.append(provider)
    if annotations is not None and annotations not in _panel_annotations:
        _panel_annotations.append(annotations)


def panel_annotations() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for provider in _panel_annotations:
        merged.update(provider())
    return merged


def question_panels(question: Question, request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    return [panel for provider in _panels if (panel := provider(question, request)) is not None]


def listen_to_threads(listener: ThreadListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def thread_event(kind: str, question: Question, *, by: User | None, post: Any = None) -> None:
    event = ThreadEvent(kind=kind, question=question, by=by, post=post)
    for listener in _listeners:
        listener(event)


def register_idea_check(check: Callable[[Question], bool]) -> None:
    """Whether a thread is an idea, where "I have this too" reads "me too"."""
    if check not in _idea_checks:
        _idea_checks.append(check)


def is_idea(question: Question) -> bool:
    return any(check(question) for check in _idea_checks)


def register_work_queue(queue: WorkQueue) -> None:
    if all(existing.label != queue.label for existing in _queues):
        _queues.append(queue)


def work_queues() -> list[WorkQueue]:
    return list(_queues)


def register_feedback_tags(provider: Callable[[], list[str]]) -> None:
    if provider not in _feedback_tags:
        _feedback_tags.append(provider)


def feedback_tags() -> list[str]:
    return sorted({tag for provider in _feedback_tags for tag in provider()})


def register_permission_rules(module: Any) -> None:
    if module not in _rule_modules:
        _rule_modules.append(module)


def permission_rule(name: str) -> Callable[..., bool] | None:
    """The ``can_<name>`` rule of community's permissions or of a registered module."""
    from community import permissions

    for module in (permissions, *_rule_modules):
        rule = getattr(module, f"can_{name}", None)
        if rule is not None:
            return rule  # type: ignore[no-any-return]
    return None


def register_redaction_listener(listener: Callable[[Question, str], int]) -> None:
    if listener not in _redaction_listeners:
        _redaction_listeners.append(listener)


def redacted(question: Question, text: str) -> int:
    """Tell the listeners (inside the redaction's transaction); how many places changed."""
    return sum(listener(question, text) for listener in _redaction_listeners)
