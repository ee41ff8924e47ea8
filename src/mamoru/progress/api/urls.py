"""The progress API, mounted by the project at ``/api/v1/progress/``."""

from django.urls import path

import mamoru.progress.converters  # noqa: F401 - registers the <month:…> converter
from mamoru.progress.api import exchange, views

app_name = "progress_api"

CAMPAIGN = "campaigns/<slug:key>/"
ORGANISATION = CAMPAIGN + "organisations/<str:code>/"
REPORT = ORGANISATION + "reports/<month:month>/"

urlpatterns = [
    path("campaigns/", views.CampaignListApi.as_view(), name="campaigns"),
    path(CAMPAIGN, views.CampaignDetailApi.as_view(), name="campaign"),
    path(CAMPAIGN + "national/", views.NationalApi.as_view(), name="national"),
    path(CAMPAIGN + "prefectures/<str:code>/", views.PrefectureApi.as_view(), name="prefecture"),
    path(ORGANISATION, views.OrganisationApi.as_view(), name="organisation"),
    path(ORGANISATION + "timeline/", views.TimelineApi.as_view(), name="timeline"),
    path(ORGANISATION + "follow-ups/", views.FollowUpListApi.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/answer/", views.FollowUpAnswerApi.as_view(), name="follow_up_answer"),
    path(REPORT, views.ReportApi.as_view(), name="report"),
    path(REPORT + "submit/", views.ReportSubmitApi.as_view(), name="report_submit"),
    path(REPORT + "unchanged/", views.ReportUnchangedApi.as_view(), name="report_unchanged"),
    path("notices/", exchange.NoticeListApi.as_view(), name="notices"),
    path("notices/sent/", exchange.NoticeSentApi.as_view(), name="notices_sent"),
    path("notices/<int:pk>/", exchange.NoticeDetailApi.as_view(), name="notice"),
    path("notices/<int:pk>/read/", exchange.NoticeReadApi.as_view(), name="notice_read"),
    path("notices/<int:pk>/confirm/", exchange.NoticeConfirmApi.as_view(), name="notice_confirm"),
    path(
        "notices/<int:pk>/recipients/",
        exchange.NoticeRecipientsApi.as_view(),
        name="notice_recipients",
    ),
    path("questions/", exchange.QuestionListApi.as_view(), name="questions"),
    path("questions/<int:pk>/", exchange.QuestionDetailApi.as_view(), name="question"),
    path(
        "questions/<int:pk>/answer/", exchange.QuestionAnswerApi.as_view(), name="question_answer"
    ),
    path(
        "questions/<int:pk>/forward/",
        exchange.QuestionForwardApi.as_view(),
        name="question_forward",
    ),
    path("questions/<int:pk>/faq/", exchange.QuestionPublishApi.as_view(), name="question_publish"),
    path("faq/", exchange.FaqListApi.as_view(), name="faq"),
    path("faq/<int:pk>/", exchange.FaqDetailApi.as_view(), name="faq_entry"),
]
