"""Sign-up with mandatory email verification, profiles, avatars, and who may grant roles."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from accounts.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_roles_exist_as_groups_from_the_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ALL_ROLES)


def test_signing_up_requires_verifying_the_email(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "username": "newbie",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert User.objects.filter(username="newbie").exists()
    # Not logged in until the address is confirmed.
    assert client.get("/questions/ask/").status_code == 302
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    response = client.post("/accounts/login/", {"login": "newbie", "password": "a-long-Passphrase-42"})
    assert response.status_code == 302
    assert client.get("/questions/ask/").status_code == 200


def test_usernames_are_unique(client, member):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "other@example.com",
            "username": member.username,
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "already" in response.content.decode()


def test_password_reset_sends_a_mail(client, member):
    client.post("/accounts/password/reset/", {"email": member.email})
    assert any("/accounts/password/reset/key/" in m.body for m in mail.outbox)


def test_account_mail_speaks_as_the_configured_site_not_example_com(client, member, settings):
    settings.SITE_NAME = "Lumen Community"
    settings.SITE_URL = "https://community.lumen.test"
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": member.email})
    [message] = mail.outbox
    assert message.subject.startswith("[Lumen Community] ")
    assert "example.com" not in message.body and "example.com" not in message.subject
    assert "Hello from Lumen Community!" in message.body and "community.lumen.test" in message.body


def test_a_member_edits_their_profile_with_an_avatar(client, member):
    client.force_login(member)
    avatar = SimpleUploadedFile("me.png", _image(), content_type="image/png")
    response = client.post(
        "/profile/edit/",
        {
            "display_name": "Dana D.",
            "bio": "I fix printers.",
            "title": "Ops lead",
            "company": "Acme",
            "website": "https://acme.example",
            "time_zone": "Europe/Berlin",
            "avatar": avatar,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.display_name == "Dana D." and member.time_zone == "Europe/Berlin"
    assert member.avatar.name.endswith(".png")
    page = client.get(f"/users/{member.username}/").content.decode()
    assert "Dana D." in page and "Ops lead" in page and member.avatar.url in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Upload a valid image"),
        ("fake.png", b"not an image at all", "Upload a valid image"),
        ("huge.png", _image(size=(5000, 10)), "the limit is 4096"),
        ("tiff.tif", _image("TIFF"), "Upload a JPEG, PNG, GIF or WebP image."),
    ],
)
def test_bad_avatars_are_refused_with_a_reason(client, member, name, content, message):
    client.force_login(member)
    response = client.post(
        "/profile/edit/",
        {"display_name": "Kept name", "time_zone": "UTC", "avatar": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kept name"' in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar


def test_an_oversized_avatar_is_refused(client, member, settings):
    settings.ACCOUNTS_AVATAR_MAX_BYTES = 1000
    client.force_login(member)
    response = client.post(
        "/profile/edit/", {"time_zone": "UTC", "avatar": SimpleUploadedFile("a.png", _image(size=(400, 400)))}
    )
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_an_unknown_time_zone_is_refused(client, member):
    client.force_login(member)
    response = client.post("/profile/edit/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_public_profiles_show_questions_and_answers(client, question, answer_factory, member):
    answer = answer_factory(question=question)
    page = client.get(f"/users/{answer.author.username}/").content.decode()
    assert question.title in page
    assert client.get(f"/users/{member.username}/").status_code == 200
    assert client.get("/users/nobody-here/").status_code == 404


def test_support_staff_cannot_grant_roles_in_admin(client, support_agent, member):
    client.force_login(support_agent)
    page = client.get(f"/admin/accounts/user/{member.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="groups"' not in content and 'name="is_superuser"' not in content
    assert client.get("/admin/community/question/").status_code == 200


def test_admins_grant_roles_in_admin(client, user_factory, member):
    admin = user_factory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    content = client.get(f"/admin/accounts/user/{member.pk}/change/").content.decode()
    assert 'name="groups"' in content


def test_times_show_in_the_members_time_zone(client, question, member):
    member.time_zone = "Asia/Tokyo"
    member.save()
    client.force_login(member)
    content = client.get(question.get_absolute_url()).content.decode()
    assert "+09:00" in content


def test_a_member_adds_and_verifies_another_email_address(client, member):
    client.force_login(member)
    assert client.get("/accounts/email/").status_code == 200
    response = client.post("/accounts/email/", {"action_add": "", "email": "new-address@example.com"})
    assert response.status_code == 302
    assert any("new-address@example.com" in m.to for m in mail.outbox)


def test_a_member_downloads_their_data_then_deletes_the_account_and_their_posts_stay(
    client, member, question_factory, answer_factory
):
    import json

    from community.models import AuditEntry

    question = question_factory(author=member, title="How do I close my books for the year?")
    answer_factory(question=question_factory(), author=member, body="Use the year-end wizard in Reports.")
    client.force_login(member)
    data = json.loads(client.get("/profile/data.json").content)
    assert data["profile"]["username"] == member.username and data["profile"]["email"] == member.email
    assert [q["title"] for q in data["questions"]] == ["How do I close my books for the year?"]
    assert len(data["answers"]) == 1
    assert client.post("/profile/delete/", {"confirm": "not my name"}).status_code == 400
    response = client.post("/profile/delete/", {"confirm": member.username})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Deleted user" and member.email == "" and not member.is_active
    assert not member.has_usable_password() and member.username == f"deleted-{member.pk}"
    page = client.get(question.get_absolute_url()).content.decode()
    assert "How do I close my books for the year?" in page and "Deleted user" in page
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="account_deleted").exists()


def test_the_machines_own_localtime_is_not_a_time_zone_members_can_pick(client, member):
    client.force_login(member)
    page = client.get("/profile/edit/").content.decode()
    assert 'value="Europe/Berlin"' in page and 'value="localtime"' not in page
    response = client.post("/profile/edit/", {"time_zone": "localtime"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_migrations_do_not_depend_on_the_machines_tzdata(monkeypatch):
    """Another machine's tzdata (zones added and removed) changes no migration."""
    import zoneinfo
    from io import StringIO

    from django.core.management import call_command

    from accounts import timezones

    other = {"UTC", "Europe/Berlin", "America/Nuevo_Zone", "localtime"}
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: other)
    timezones.time_zone_names.cache_clear()
    try:
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
        assert "No changes detected" in out.getvalue()
        assert timezones.time_zone_names() == ("America/Nuevo_Zone", "Europe/Berlin", "UTC")
    finally:
        timezones.time_zone_names.cache_clear()


def test_no_migration_carries_a_list_of_time_zones():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for migration in root.glob("*/migrations/*.py"):
        assert "Africa/Abidjan" not in migration.read_text(), migration


@pytest.mark.parametrize("zone", ["localtime", "Mars/Olympus"])
def test_sla_policies_and_teams_refuse_a_zone_that_names_no_place(category, zone):
    from django.core.exceptions import ValidationError

    from support.models import ProductTeam, SlaPolicy

    for row in (
        SlaPolicy(category=category, time_zone=zone),
        ProductTeam(name="T", slug="t", time_zone=zone),
    ):
        with pytest.raises(ValidationError, match="not a time zone"):
            row.full_clean()


@pytest.mark.parametrize(
    ("fmt", "named", "stored"),
    [
        ("PNG", "me.pdf", ".png"),
        ("JPEG", "me.gif", ".jpg"),
        ("GIF", "me.png", ".gif"),
        ("WEBP", "me.JPG", ".webp"),
    ],
)
def test_an_avatar_is_stored_under_the_format_it_really_is(
    client, member, settings, tmp_path, fmt, named, stored
):
    """A PNG named .pdf used to be kept as .pdf and served as application/pdf."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)
    avatar = SimpleUploadedFile(named, _image(fmt=fmt), content_type="application/pdf")
    response = client.post("/profile/edit/", {"time_zone": "UTC", "avatar": avatar})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.endswith(f"avatar{stored}")


def test_migrate_creates_the_database_cache_table_that_logins_need(client, member, settings):
    """A deployment that ran `migrate` but not `createcachetable` answered every log-in
    with a 500 (the login throttles and rate limits live in that cache)."""
    import importlib

    from django.db import connection

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "askwell_cache"}}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS askwell_cache")
    assert "askwell_cache" not in connection.introspection.table_names()
    migration = importlib.import_module("accounts.migrations.0008_cache_table")
    from types import SimpleNamespace

    migration.create_cache_tables(None, SimpleNamespace(connection=connection))  # what migrate runs
    assert "askwell_cache" in connection.introspection.table_names()
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302
