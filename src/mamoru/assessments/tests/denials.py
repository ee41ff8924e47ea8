"""Who is refused each URL of the assessments app (see ``mamoru.testing.Denial``).

Object URLs name a campaign, target or file that does not exist for anyone: the refusal
must not depend on the object. ``test_access`` checks the same URLs against real objects
of 千代田区 for the sibling ward, the other prefecture's city and the outsider.
"""

from mamoru.testing import Denial

EVERYONE = ("outsider",)  # lists and reference pages answer 200 to any member
PK = {"pk": "987654"}
ITEM = {**PK, "item_id": "ORG-01"}

PAGES = [
    Denial("assessments:campaigns", refused=EVERYONE),
    Denial("assessments:campaign_create"),
    Denial("assessments:campaign_create", method="post"),
    Denial("assessments:campaign", PK),
    Denial("assessments:campaign_close", PK, method="post"),
    Denial("assessments:dashboard", PK),
    Denial("assessments:follow_up", PK),
    Denial("assessments:results_export", {**PK, "fmt": "xlsx"}),
    Denial("assessments:target", PK),
    Denial("assessments:section", {**PK, "section_id": "organisation"}),
    Denial("assessments:answer", ITEM, method="post"),
    Denial("assessments:assign", ITEM, method="post"),
    Denial("assessments:evidence_upload", ITEM, method="post"),
    Denial("assessments:evidence", PK),
    Denial("assessments:evidence_delete", PK, method="post"),
    Denial("assessments:submit", PK),
    Denial("assessments:submit", PK, method="post"),
    Denial("assessments:carry_forward", PK, method="post"),
    Denial("assessments:questionnaire", {**PK, "fmt": "xlsx"}),
    Denial("assessments:import", PK),
    Denial("assessments:import", PK, method="post"),
    Denial("assessments:review", PK, method="post"),
    Denial("assessments:note_add", PK, method="post"),
    Denial("assessments:report", PK),
    Denial("assessments:report_pdf", PK),
    Denial("assessments:summary", PK),
    Denial("assessments:summary_pdf", PK),
    Denial("assessments:frameworks", refused=EVERYONE),
    Denial("assessments:framework", PK, refused=EVERYONE),
]

API = [
    Denial("assessments_api:frameworks", refused=EVERYONE),
    Denial("assessments_api:framework", PK, refused=EVERYONE),
    Denial("assessments_api:campaigns", refused=EVERYONE),
    Denial("assessments_api:campaigns", method="post", refused=EVERYONE),
    Denial("assessments_api:campaign", PK),
    Denial("assessments_api:campaign_close", PK, method="post"),
    Denial("assessments_api:campaign_targets", PK),
    Denial("assessments_api:dashboard", PK),
    Denial("assessments_api:target", PK),
    Denial("assessments_api:answers", PK),
    Denial("assessments_api:answer", ITEM, method="put"),
    Denial("assessments_api:submit", PK, method="post"),
    Denial("assessments_api:review", PK, method="post"),
    Denial("assessments_api:scores", PK),
    Denial("assessments_api:peers", PK),
]

DENIALS = [*PAGES, *API]
