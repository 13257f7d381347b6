from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # Outbox handlers register themselves on import; the worker needs them loaded.
        from accounts import hooks
        from community import extensions, pagecache, permissions, querysets
        from community.actions import articles, moderation, notifications, review, search  # noqa: F401
        from community.actions.audit import audit_role_change

        hooks.listen_to_role_changes(audit_role_change)
        pagecache.start_watching()
        extensions.register_work_queue(
            extensions.WorkQueue("Review", querysets.my_reviews, permissions.can_review)
        )
        extensions.register_triage_target(
            extensions.TriageTarget("review", querysets.review_item_for, lambda item: "a review item",
                                    lambda item: item.get_absolute_url())
        )  # fmt: skip
