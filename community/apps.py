from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # Outbox handlers register themselves on import; the worker needs them loaded.
        from community import extensions, permissions
        from community.actions import articles, moderation, notifications, review, search  # noqa: F401

        extensions.register_work_queue(
            extensions.WorkQueue("Review", review.my_reviews, permissions.can_review)
        )
