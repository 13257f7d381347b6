"""Community data. Rows that matter are written only by ``community.actions``."""

from community.models.articles import Article, ArticleFeedback, ArticleRevision
from community.models.categories import Category
from community.models.coaching import CoachingMode, CoachingPolicy
from community.models.deflection import DeflectionEvent, DeflectionKind, SearchGap
from community.models.engagement import Follow, MeToo
from community.models.health import Heartbeat
from community.models.imports import ImportedUser, ImportSite, LinkKind, QuestionLink, TagInfo
from community.models.moderation import (
    AuditEntry,
    CloseVote,
    CloseVoteKind,
    Flag,
    FlagOutcome,
    FlagReason,
    ReviewEvent,
    ReviewItem,
    ReviewKind,
    ReviewState,
)
from community.models.mvp import MvpNomination, MvpTerm, NominationStatus
from community.models.notifications import Notification, NotificationEvent
from community.models.outbox import OutboxItem
from community.models.pages import PageSlug, SitePage, TeamProfile
from community.models.posts import Answer, CloseReason, Comment, Question, QuestionStatus
from community.models.reputation import Acceptance, BadgeAward, RankReached, ReputationEvent
from community.models.revisions import Revision
from community.models.search import SearchEntry, ThreadVector
from community.models.triage import TriageDecision
from community.models.votes import Vote

__all__ = [
    "Acceptance",
    "Answer",
    "Article",
    "ArticleFeedback",
    "ArticleRevision",
    "AuditEntry",
    "BadgeAward",
    "Category",
    "CloseReason",
    "CloseVote",
    "CloseVoteKind",
    "CoachingMode",
    "CoachingPolicy",
    "Comment",
    "DeflectionEvent",
    "DeflectionKind",
    "Flag",
    "FlagOutcome",
    "FlagReason",
    "Follow",
    "Heartbeat",
    "ImportSite",
    "ImportedUser",
    "LinkKind",
    "MeToo",
    "MvpNomination",
    "MvpTerm",
    "NominationStatus",
    "Notification",
    "NotificationEvent",
    "OutboxItem",
    "PageSlug",
    "Question",
    "QuestionLink",
    "QuestionStatus",
    "RankReached",
    "ReputationEvent",
    "ReviewEvent",
    "ReviewItem",
    "ReviewKind",
    "ReviewState",
    "Revision",
    "SearchEntry",
    "SearchGap",
    "SitePage",
    "TagInfo",
    "TeamProfile",
    "ThreadVector",
    "TriageDecision",
    "Vote",
]
