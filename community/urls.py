from django.urls import path, register_converter

from community.views import (
    articles,
    closing,
    coaching,
    health,
    moderation,
    mvp,
    notifications,
    pages,
    posts,
    profiles,
    questions,
    reputation,
    search,
    triage,
)


class PostKindConverter:
    regex = "question|answer"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostKindConverter, "kind")

app_name = "community"

urlpatterns = [
    path("", questions.home_view, name="home"),
    path("health/", health.health_view, name="health"),
    path("questions/", questions.question_list_view, name="question_list"),
    path("questions/ask/", questions.ask_view, name="ask"),
    path("questions/preview/", posts.preview_view, name="preview"),
    path("questions/similar/", search.similar_view, name="similar"),
    path("search/", search.search_view, name="search"),
    path("questions/<int:pk>/", questions.question_redirect_view, name="question_redirect"),
    path("questions/<int:pk>/edit/", questions.question_edit_view, name="question_edit"),
    path("questions/<int:pk>/delete/", questions.question_delete_view, name="question_delete"),
    path("questions/<int:pk>/privacy/", questions.privacy_view, name="privacy"),
    path("questions/<int:pk>/publish/", coaching.publish_view, name="publish"),
    path("coaching/", coaching.coaching_queue_view, name="coaching"),
    path("coaching/settings/", coaching.coaching_settings_view, name="coaching_settings"),
    path("questions/<int:pk>/restore/", questions.question_restore_view, name="question_restore"),
    path("questions/<int:pk>/revisions/", questions.question_revisions_view, name="question_revisions"),
    path("questions/<int:pk>/answer/", posts.answer_create_view, name="answer_create"),
    path("questions/<int:pk>/follow/", posts.follow_view, name="follow"),
    path("questions/<int:pk>/me-too/", posts.me_too_view, name="me_too"),
    path("questions/<int:pk>/solved-it/", posts.solved_it_view, name="solved_it"),
    path("questions/<int:pk>/from-hint/", search.hint_click_view, name="hint_click"),
    path(
        "questions/<int:pk>/answer-card/", search.answer_card_view, {"kind": "question"}, name="answer_card"
    ),
    path(
        "articles/<int:pk>/answer-card/",
        search.answer_card_view,
        {"kind": "article"},
        name="article_answer_card",
    ),
    path("questions/<int:pk>/capture-article/", articles.article_capture_view, name="article_capture"),
    path("questions/<int:pk>/merge/", posts.merge_view, name="merge"),
    path("answers/<int:pk>/", posts.answer_redirect_view, name="answer_redirect"),
    path("comments/<int:pk>/", posts.comment_redirect_view, name="comment_redirect"),
    path("answers/<int:pk>/edit/", posts.answer_edit_view, name="answer_edit"),
    path("answers/<int:pk>/delete/", posts.answer_delete_view, name="answer_delete"),
    path("answers/<int:pk>/restore/", posts.answer_restore_view, name="answer_restore"),
    path("answers/<int:pk>/accept/", posts.accept_view, name="accept"),
    path("answers/<int:pk>/helped/", posts.helped_view, name="answer_helped"),
    path("answers/<int:pk>/revisions/", questions.answer_revisions_view, name="answer_revisions"),
    path("<kind:kind>s/<int:pk>/vote/", posts.vote_view, name="vote"),
    path("<kind:kind>s/<int:pk>/spam/", posts.spam_view, name="spam"),
    path("<kind:kind>s/<int:pk>/comment/", posts.comment_create_view, name="comment_create"),
    path("<kind:kind>s/<int:pk>/flag/", moderation.flag_view, name="flag"),
    path("comments/<int:pk>/flag/", moderation.flag_view, {"kind": "comment"}, name="comment_flag"),
    path("review/", moderation.review_list_view, name="review"),
    path("review/items/<int:pk>/", moderation.review_item_view, name="review_item"),
    path("triage/<slug:kind>/<int:pk>/", triage.triage_view, name="triage"),
    path("review/items/<int:pk>/claim/", moderation.review_claim_view, name="review_claim"),
    path("review/items/<int:pk>/decide/", moderation.review_decide_view, name="review_decide"),
    path("review/items/<int:pk>/release/", moderation.review_release_view, name="review_release"),
    path("review/items/<int:pk>/skip/", moderation.review_skip_view, name="review_skip"),
    path("questions/<int:pk>/close/", closing.close_view, name="close"),
    path("questions/<int:pk>/reopen/", closing.reopen_view, name="reopen"),
    path("questions/<int:pk>/lock/", closing.lock_view, name="lock"),
    path("questions/<int:pk>/unlock/", closing.unlock_view, name="unlock"),
    path("<kind:kind>s/<int:pk>/redact/", closing.redact_view, name="redact"),
    path("comments/<int:pk>/redact/", closing.redact_view, {"kind": "comment"}, name="comment_redact"),
    path("review/log/", moderation.audit_log_view, name="audit_log"),
    path("flags/", moderation.my_flags_view, name="my_flags"),
    path("comments/<int:pk>/delete/", posts.comment_delete_view, name="comment_delete"),
    path("comments/<int:pk>/restore/", posts.comment_restore_view, name="comment_restore"),
    # Last among question paths: a slug never shadows an action (see Question.slug).
    path("questions/<int:pk>/<str:slug>/", questions.question_detail_view, name="question_detail"),
    path("articles/", articles.article_list_view, name="article_list"),
    path("articles/<int:pk>/", articles.article_redirect_view, name="article_redirect"),
    path("articles/<int:pk>/edit/", articles.article_edit_view, name="article_edit"),
    path("articles/<int:pk>/helpful/", articles.article_feedback_view, name="article_feedback"),
    path("articles/<int:pk>/reviewed/", articles.article_reviewed_view, name="article_reviewed"),
    path("articles/<int:pk>/revisions/", articles.article_revisions_view, name="article_revisions"),
    path("articles/<int:pk>/from-hint/", articles.article_hint_click_view, name="article_hint_click"),
    path("articles/<int:pk>/<str:slug>/", articles.article_detail_view, name="article_detail"),
    path("tags/", questions.tag_list_view, name="tag_list"),
    path("tags/autocomplete/", questions.tag_autocomplete_view, name="tag_autocomplete"),
    path("tags/<str:tag>/", questions.question_list_view, name="tag_detail"),
    path("users/<str:username>/", profiles.profile_view, name="profile"),
    path("users/<str:username>/suspend/", profiles.suspend_view, name="suspend"),
    path("users/<str:username>/unsuspend/", profiles.unsuspend_view, name="unsuspend"),
    path("profile/edit/", profiles.profile_edit_view, name="profile_edit"),
    path("profile/data.json", profiles.my_data_view, name="my_data"),
    path("profile/delete/", profiles.delete_account_view, name="delete_account"),
    path("badges/", reputation.badge_list_view, name="badge_list"),
    path("badges/<slug:slug>/", reputation.badge_detail_view, name="badge_detail"),
    path("mvp/", mvp.mvp_list_view, name="mvp_list"),
    path("mvp/nominate/", mvp.mvp_nominate_view, name="mvp_nominate"),
    path("mvp/nominations/", mvp.mvp_nominations_view, name="mvp_nominations"),
    path("mvp/nominations/<int:pk>/decide/", mvp.mvp_decide_view, name="mvp_decide"),
    path("leaderboard/", reputation.leaderboard_view, name="leaderboard"),
    path("privileges/", reputation.privileges_view, name="privileges"),
    path("guidelines/", pages.site_page_view, {"slug": "guidelines"}, name="guidelines"),
    path("guidelines/edit/", pages.site_page_edit_view, {"slug": "guidelines"}, name="guidelines_edit"),
    path("about/", pages.site_page_view, {"slug": "about"}, name="about"),
    path("about/edit/", pages.site_page_edit_view, {"slug": "about"}, name="about_edit"),
    path("team/", pages.team_view, name="team"),
    path("team/edit/", pages.team_edit_view, name="team_edit"),
    path("notifications/", notifications.notification_list_view, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notification_mark_all_read_view,
        name="notifications_read_all",
    ),
    path("my-work/", notifications.my_work_view, name="my_work"),
    path("notifications/<int:pk>/open/", notifications.notification_open_view, name="notification_open"),
]
