from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        # Outbox handlers register themselves on import; the worker needs them loaded.
        from community.actions import articles, notifications, search  # noqa: F401
