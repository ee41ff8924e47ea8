"""The records of progress campaigns, notices, and questions with their FAQ."""

from mamoru.progress.models.campaigns import (
    Campaign,
    CampaignItem,
    CampaignStep,
    DelayReason,
    FollowUp,
    FollowUpKind,
    ItemReport,
    MonthlyReport,
    OrganisationMonth,
    Participation,
    PrefectureMonthItem,
    PrefectureMonthStep,
    ReportAttachment,
    ReportStatus,
)
from mamoru.progress.models.notices import Notice, NoticeAttachment, NoticeDelivery
from mamoru.progress.models.questions import (
    FaqEntry,
    FaqGram,
    Question,
    QuestionAttachment,
    QuestionCategory,
    QuestionStatus,
)

__all__ = [
    "Campaign",
    "CampaignItem",
    "CampaignStep",
    "DelayReason",
    "FaqEntry",
    "FaqGram",
    "FollowUp",
    "FollowUpKind",
    "ItemReport",
    "MonthlyReport",
    "Notice",
    "NoticeAttachment",
    "NoticeDelivery",
    "OrganisationMonth",
    "Participation",
    "PrefectureMonthItem",
    "PrefectureMonthStep",
    "Question",
    "QuestionAttachment",
    "QuestionCategory",
    "QuestionStatus",
    "ReportAttachment",
    "ReportStatus",
]
