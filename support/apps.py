from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        # Support plugs into community through community's extension points (community
        # never imports support): the question page panel, thread events, "My work".
        from community import extensions
        from support import panels, permissions, querysets
        from support.actions import digests, escalations, feedback, incidents, notices, webhooks  # noqa: F401 (outbox handlers register on import)

        extensions.register_permission_rules(permissions)
        extensions.register_redaction_listener(digests.scrub_digests)
        extensions.register_question_panel(panels.question_panel, annotations=panels.page_annotations)
        extensions.listen_to_threads(escalations.on_thread_event)
        extensions.listen_to_threads(feedback.on_thread_event)
        extensions.listen_to_threads(webhooks.on_thread_event)
        extensions.register_question_panel(panels.feedback_panel)
        extensions.register_question_panel(panels.incident_panel, annotations=panels.incident_annotations)
        extensions.register_idea_check(feedback.is_idea)
        extensions.register_feedback_tags(feedback.feedback_tag_list)
        extensions.register_work_queue(
            extensions.WorkQueue("Escalations", querysets.my_escalations, permissions.can_work_queue)
        )
        extensions.register_triage_target(
            extensions.TriageTarget("escalation", querysets.escalation_for, lambda e: "the escalation",
                                    lambda e: e.get_absolute_url())
        )  # fmt: skip
        extensions.register_triage_target(
            extensions.TriageTarget("mention", querysets.mention_for, querysets.mention_label,
                                    lambda m: m.get_absolute_url())
        )  # fmt: skip
        extensions.register_work_queue(
            extensions.WorkQueue("Feedback", querysets.my_feedback_items, permissions.can_triage_feedback)
        )
