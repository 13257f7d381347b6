"""The triage tree: the founding flowchart for answering customers in public, walked step
by step on the escalation, review and mention pages (pure data; the walk is a path of
answers from the root, and where it ends is the outcome recorded with the decision).

    assess the message → positive: thank, respond in kind and share
                       → negative: who is it?
                            → a dedicated complainer or a joker: let it stand and monitor
                            → an unhappy customer: are the facts right?
                                 → no: gently correct them
                                 → yes: is the problem being fixed?
                                      → yes: explain what is being done
                                      → no: take reasonable action and say what was done
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    question: str
    answers: tuple[tuple[str, str, str], ...]  # (answer key, label, next step or outcome key)


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    advice: str


STEPS = {
    step.key: step
    for step in (
        Step("assess", "How does the message read?", (
            ("positive", "Positive", "thank"),
            ("negative", "Negative", "who"),
        )),
        Step("who", "Who is writing?", (
            ("complainer", "A dedicated complainer or a joker", "monitor"),
            ("customer", "An unhappy customer", "facts"),
        )),
        Step("facts", "Are the facts right?", (
            ("wrong", "No, they are mistaken", "correct"),
            ("right", "Yes", "fixing"),
        )),
        Step("fixing", "Is the problem being fixed?", (
            ("yes", "Yes", "explain"),
            ("no", "No", "act"),
        )),
    )
}  # fmt: skip

OUTCOMES = {
    outcome.key: outcome
    for outcome in (
        Outcome("thank", "Thank, respond in kind and share",
                "Thank them in public, answer in the same spirit, and share it where others will see it."),
        Outcome("monitor", "Let it stand and monitor",
                "Do not feed it: leave it, watch it, and step in only if it becomes a real problem."),
        Outcome("correct", "Gently correct the facts",
                "Say what is actually the case, kindly and with a source, without shaming them in public."),
        Outcome("explain", "Explain what is being done",
                "Tell them the problem is known, what is being done about it and when to expect more."),
        Outcome("act", "Take reasonable action and tell them",
                "Do something reasonable to put it right now, then tell the customer exactly what was done."),
    )
}  # fmt: skip

ROOT = "assess"


class BadPath(ValueError):
    pass


def walk(path: list[str]) -> tuple[list[tuple[Step, str]], Step | None, Outcome | None]:
    """Follow the answers from the root: the steps answered (with the answer's label), the
    step to answer next (None once an outcome is reached) and the outcome (or None).
    Raises ``BadPath`` for an answer the step does not offer or answers past an outcome."""
    taken: list[tuple[Step, str]] = []
    at = ROOT
    for answer in path:
        step = STEPS.get(at)
        if step is None:
            raise BadPath("The walk already reached an outcome.")
        found = next((option for option in step.answers if option[0] == answer), None)
        if found is None:
            raise BadPath(f"“{answer[:40]}” is not an answer to “{step.question}”.")
        taken.append((step, found[1]))
        at = found[2]
    return taken, STEPS.get(at), OUTCOMES.get(at)
