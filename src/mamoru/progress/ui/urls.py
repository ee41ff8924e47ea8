"""The progress pages, mounted by the project at ``/progress/``."""

from django.urls import path

import mamoru.progress.converters  # noqa: F401 - registers the <month:…> converter
from mamoru.progress.ui import campaigns, dashboards, notices, questions, reports

app_name = "progress"

CAMPAIGN = "campaigns/<slug:key>/"
ORGANISATION = CAMPAIGN + "organisations/<str:code>/"
MONTH = ORGANISATION + "<month:month>/"

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path(CAMPAIGN, campaigns.campaign_home, name="campaign"),
    path(CAMPAIGN + "national/", dashboards.national, name="national"),
    path(
        CAMPAIGN + "national/export/<slug:fmt>/",
        dashboards.national_export,
        name="national_export",
    ),
    path(CAMPAIGN + "prefectures/<str:code>/", dashboards.prefecture, name="prefecture"),
    path(
        CAMPAIGN + "prefectures/<str:code>/export/<slug:fmt>/",
        dashboards.prefecture_export,
        name="prefecture_export",
    ),
    path(ORGANISATION, campaigns.organisation, name="organisation"),
    path(ORGANISATION + "follow-ups/", campaigns.follow_up_create, name="follow_up_create"),
    path("follow-ups/<int:pk>/answer/", campaigns.follow_up_answer, name="follow_up_answer"),
    path(MONTH, reports.report, name="report"),
    path(MONTH + "submit/", reports.report_submit, name="report_submit"),
    path(MONTH + "unchanged/", reports.report_unchanged, name="report_unchanged"),
    path(MONTH + "import/", reports.report_import, name="report_import"),
    path(MONTH + "export/<slug:fmt>/", reports.report_export, name="report_export"),
    path(MONTH + "attachments/", reports.report_attach, name="report_attach"),
    path("report-attachments/<int:pk>/", reports.report_attachment, name="report_attachment"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/sent/", notices.notices_sent, name="notices_sent"),
    path("notices/new/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.notice, name="notice"),
    path("notices/<int:pk>/confirm/", notices.notice_confirm, name="notice_confirm"),
    path("notices/<int:pk>/recipients/", notices.notice_recipients, name="notice_recipients"),
    path(
        "notices/<int:pk>/attachments/<int:attachment>/",
        notices.notice_attachment,
        name="notice_attachment",
    ),
    path("questions/", questions.question_list, name="questions"),
    path("questions/new/", questions.question_create, name="question_create"),
    path("questions/<int:pk>/", questions.question, name="question"),
    path("questions/<int:pk>/answer/", questions.question_answer, name="question_answer"),
    path("questions/<int:pk>/forward/", questions.question_forward, name="question_forward"),
    path("questions/<int:pk>/faq/", questions.question_publish, name="question_publish"),
    path(
        "questions/<int:pk>/attachments/<int:attachment>/",
        questions.question_attachment,
        name="question_attachment",
    ),
    path("faq/", questions.faq, name="faq"),
    path("faq/new/", questions.faq_create, name="faq_create"),
    path("faq/<int:pk>/", questions.faq_entry, name="faq_entry"),
    path("faq/<int:pk>/edit/", questions.faq_edit, name="faq_edit"),
]
