"""The REST API: public questions read anonymously, writes through the site's forms and
actions with personal tokens (scoped, revocable), the same permission answers as the
site, cursor pages, problem details for every refusal, and the OpenAPI 3.1 document."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from accounts.actions import create_api_token, revoke_api_token
from community.models import Answer, Question
from tests.corpora import naughty_strings

pytestmark = pytest.mark.django_db


def _api(token: str | None = None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)


def test_public_questions_are_readable_anonymously_and_private_ones_never(question_factory, member):
    public = question_factory(title="Export invoices as PDF from the list")
    private = question_factory(author=member, title="My account 4471 invoice")
    Question.objects.filter(pk=private.pk).update(is_private=True)
    response = _api().get("/api/v1/questions/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    titles = [row["title"] for row in response.json()["results"]]
    assert public.title in titles and private.title not in titles
    assert _api().get(f"/api/v1/questions/{private.pk}/").status_code == 404
    thread = _api().get(f"/api/v1/questions/{public.pk}/").json()
    assert (
        thread["title"] == public.title
        and thread["answers"] == []
        and thread["url"].endswith(public.get_absolute_url())
    )
    assert "email" not in str(_api().get(f"/api/v1/members/{member.username}/").json())


def test_cursor_pages_walk_every_question_once(question_factory):
    made = {question_factory(title=f"Question number {n} about exports").pk for n in range(25)}
    seen, url = [], "/api/v1/questions/?page_size=10"
    while url:
        page = _api().get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"] and page["next"].split("testserver", 1)[-1]
    assert sorted(seen) == sorted(made)
    bad = _api().get("/api/v1/questions/?cursor=garbage")
    assert bad.status_code == 404 and bad["Content-Type"] == "application/problem+json"


def test_writes_need_a_write_token_and_go_through_the_sites_rules(member, other_member, category):
    read_token = create_api_token(member, name="reader", scopes=["read"])[1]
    write_token = create_api_token(member, name="bot", scopes=["read", "write"])[1]
    ask = {"title": "How do I export invoices as PDF?", "body": "The export button does nothing for me.",
           "category": category.slug, "tags": []}  # fmt: skip
    anonymous = _api().post("/api/v1/questions/", ask, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"
    refused = _api(read_token).post("/api/v1/questions/", ask, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["title"] == "Not allowed"
    short = _api(write_token).post(
        "/api/v1/questions/", {**ask, "title": "PDF?"}, content_type="application/json"
    )
    assert short.status_code == 400 and "title" in short.json()["errors"]  # the site's form's message
    created = _api(write_token).post("/api/v1/questions/", ask, content_type="application/json")
    assert created.status_code == 201
    question = Question.objects.get(pk=created.json()["id"])
    assert question.author == member and question.body == ask["body"]
    # Another member answers; the asker accepts through the API; a stranger may not.
    helper = create_api_token(other_member, name="helper", scopes=["read", "write"])[1]
    answer_body = {"body": "Use Download PDF in Billing."}
    answered = _api(helper).post(
        f"/api/v1/questions/{question.pk}/answers/", answer_body, content_type="application/json"
    )
    assert answered.status_code == 201
    answer = Answer.objects.get(pk=answered.json()["id"])
    assert _api(helper).post(f"/api/v1/answers/{answer.pk}/accept/").status_code == 403
    assert (
        _api(write_token).post(f"/api/v1/answers/{answer.pk}/accept/").json()["accepted_answer_id"]
        == answer.pk
    )
    voted = _api(write_token).post(
        f"/api/v1/answers/{answer.pk}/vote/", {"direction": "up"}, content_type="application/json"
    )
    assert voted.status_code == 200 and voted.json()["score"] == 1
    own = _api(write_token).post(
        f"/api/v1/questions/{question.pk}/vote/", {"direction": "up"}, content_type="application/json"
    )
    assert own.status_code == 403  # the site's rule: not on one's own post
    commented = _api(helper).post(f"/api/v1/answers/{answer.pk}/comments/", {"body": "Glad it helped you."},
                                  content_type="application/json")  # fmt: skip
    assert commented.status_code == 201


def test_a_revoked_or_unknown_token_is_refused(member):
    token, secret = create_api_token(member, name="old", scopes=["read"])
    assert _api(secret).get("/api/v1/questions/").status_code == 200
    revoke_api_token(token, by=member)
    refused = _api(secret).get("/api/v1/questions/")
    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert "Bearer" in refused["WWW-Authenticate"]
    assert _api("aw_not-a-token").get("/api/v1/questions/").status_code == 401
    assert _api("x" * 500).get("/api/v1/questions/").status_code == 401


def test_search_and_similar_suggestions(question_factory, run):
    run(question_factory, title="Export invoices as PDF from the list view")
    found = _api().get("/api/v1/search/", {"q": "export pdf"}).json()
    assert found["results"][0]["title"] == "Export invoices as PDF from the list view"
    similar = _api().get("/api/v1/similar/", {"title": "How can I export an invoice to PDF"}).json()
    assert similar["results"][0]["kind"] == "question"
    missing = _api().get("/api/v1/search/")
    assert missing.status_code == 400 and "q" in missing.json()["errors"]


@pytest.mark.parametrize("text", naughty_strings()[:60])
def test_naughty_input_is_a_clear_4xx_or_kept_exactly(member, category, text):
    token = create_api_token(member, name="fuzz", scopes=["read", "write"])[1]
    body = {
        "title": f"Naughty title {text}"[:150],
        "body": f"Body that is long enough: {text}",
        "category": category.slug,
    }
    response = _api(token).post("/api/v1/questions/", body, content_type="application/json")
    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 201:
        assert Question.objects.get(pk=response.json()["id"]).body == body["body"]
    assert _api().get("/api/v1/search/", {"q": text or "x"}).status_code in (200, 400)
    assert _api().get(f"/api/v1/members/{text[:40] or 'x'}/").status_code in (200, 404)


def test_the_openapi_document_is_3_1_and_documents_the_token():
    response = _api().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/questions/" in schema["paths"] and "/api/v1/similar/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = _api().get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_members_make_and_revoke_tokens_in_the_site(client, member, support_agent):
    client.force_login(member)
    page = client.post("/profile/tokens/", {"name": "Help desk sync", "scopes": ["read", "write"]})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = page.content.decode().split('id="new-token" readonly value="')[1].split('"')[0]
    assert secret.startswith("aw_") and _api(secret).get("/api/v1/questions/").status_code == 200
    assert secret not in client.get("/profile/tokens/").content.decode()  # shown once
    token = member.api_tokens.get()
    assert token.scopes == ["read", "write"] and token.digest != secret
    refused = client.post("/profile/tokens/", {"name": "Staff", "scopes": ["staff"]})
    assert refused.status_code == 400 and "support staff and product managers" in refused.content.decode()
    assert client.post("/profile/tokens/", {"name": "   ", "scopes": ["read"]}).status_code == 400
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert _api(secret).get("/api/v1/questions/").status_code == 401
    client.force_login(support_agent)
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404  # not theirs
    assert client.post("/profile/tokens/", {"name": "Staff", "scopes": ["read", "staff"]}).status_code == 200


def test_rate_limits_answer_429_with_retry_after(monkeypatch, settings):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    codes = [_api().get("/api/v1/categories/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = _api().get("/api/v1/categories/")
    assert limited["Content-Type"] == "application/problem+json" and int(limited["Retry-After"]) > 0
