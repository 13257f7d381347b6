"""allauth's mail speaks as this site: its name and domain come from settings
(``ASKWELL_SITE_NAME``, ``ASKWELL_SITE_URL``), not from the ``django.contrib.sites`` row
whose default says "example.com"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from accounts.mail import header_safe


@dataclass(frozen=True)
class ConfiguredSite:
    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc or "localhost")


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return header_safe(f"[{settings.SITE_NAME}] {subject}")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {"current_site": configured_site(), **context})
