"""The assessment pages, mounted by the project at ``/assessments/``.

``targets/<pk>/`` is the page reminders and home items link to: keep it.
"""

from django.urls import path

from mamoru.assessments.ui import answering, campaigns, frameworks, reports

app_name = "assessments"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/dashboard/", campaigns.dashboard, name="dashboard"),
    path("campaigns/<int:pk>/follow-up/", campaigns.follow_up, name="follow_up"),
    path("campaigns/<int:pk>/results/<slug:fmt>/", campaigns.results_export, name="results_export"),
    path("targets/<int:pk>/", answering.target_detail, name="target"),
    path("targets/<int:pk>/sections/<slug:section_id>/", answering.section, name="section"),
    path("targets/<int:pk>/items/<str:item_id>/", answering.answer_save, name="answer"),
    path("targets/<int:pk>/items/<str:item_id>/assign/", answering.answer_assign, name="assign"),
    path(
        "targets/<int:pk>/items/<str:item_id>/evidence/",
        answering.evidence_upload,
        name="evidence_upload",
    ),
    path("evidence/<int:pk>/", answering.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", answering.evidence_delete, name="evidence_delete"),
    path("targets/<int:pk>/submit/", answering.submit, name="submit"),
    path("targets/<int:pk>/carry-forward/", answering.carry_forward, name="carry_forward"),
    path(
        "targets/<int:pk>/questionnaire/<slug:fmt>/",
        answering.questionnaire_export,
        name="questionnaire",
    ),
    path("targets/<int:pk>/import/", answering.answers_import, name="import"),
    path("targets/<int:pk>/review/", answering.review, name="review"),
    path("targets/<int:pk>/notes/", answering.note_add, name="note_add"),
    path("targets/<int:pk>/report/", reports.report, name="report"),
    path("targets/<int:pk>/report/pdf/", reports.report_pdf, name="report_pdf"),
    path("targets/<int:pk>/summary/", reports.summary, name="summary"),
    path("targets/<int:pk>/summary/pdf/", reports.summary_pdf, name="summary_pdf"),
    path("frameworks/", frameworks.framework_list, name="frameworks"),
    path("frameworks/<int:pk>/", frameworks.framework_detail, name="framework"),
]
