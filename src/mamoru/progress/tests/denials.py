"""Who is refused each URL of the progress app (see ``mamoru.testing.Denial``).

Object URLs name a campaign or a record that does not exist for anyone: the refusal must
not depend on the object. ``test_access`` checks the same URLs against real records of
千代田区 for the sibling, the other prefecture and the outsider.
"""

from mamoru.testing import CHIYODA, TOKYO, Denial

EVERYONE = ("outsider",)  # lists answer 200 with one's own (empty) rows to members
CAMPAIGN = {"key": "no-such-campaign"}
ORGANISATION = {**CAMPAIGN, "code": CHIYODA}
MONTH = {**ORGANISATION, "month": "2025-04"}
PREFECTURE = {**CAMPAIGN, "code": TOKYO}
PK = {"pk": "999999"}

PAGES = [
    Denial("progress:campaigns", refused=EVERYONE),
    Denial("progress:campaign", CAMPAIGN),
    Denial("progress:national", CAMPAIGN),
    Denial("progress:national_export", {**CAMPAIGN, "fmt": "csv"}),
    Denial("progress:prefecture", PREFECTURE),
    Denial("progress:prefecture_export", {**PREFECTURE, "fmt": "xlsx"}),
    Denial("progress:organisation", ORGANISATION),
    Denial("progress:follow_up_create", ORGANISATION, method="post"),
    Denial("progress:follow_up_answer", PK, method="post"),
    Denial("progress:report", MONTH),
    Denial("progress:report", MONTH, method="post"),
    Denial("progress:report_submit", MONTH, method="post"),
    Denial("progress:report_unchanged", MONTH, method="post"),
    Denial("progress:report_import", MONTH, method="post"),
    Denial("progress:report_export", {**MONTH, "fmt": "csv"}),
    Denial("progress:report_attach", MONTH, method="post"),
    Denial("progress:report_attachment", PK),
    Denial("progress:notices", refused=EVERYONE),
    Denial("progress:notices_sent", refused=EVERYONE),
    Denial("progress:notice_create"),
    Denial("progress:notice_create", method="post"),
    Denial("progress:notice", PK),
    Denial("progress:notice_confirm", PK, method="post"),
    Denial("progress:notice_recipients", PK),
    Denial("progress:notice_attachment", {**PK, "attachment": "1"}),
    Denial("progress:questions", refused=EVERYONE),
    Denial("progress:question_create", refused=("outsider", "ppc")),
    Denial("progress:question_create", method="post", refused=("outsider", "ppc")),
    Denial("progress:question", PK),
    Denial("progress:question_answer", PK, method="post"),
    Denial("progress:question_forward", PK, method="post"),
    Denial("progress:question_publish", PK),
    Denial("progress:question_attachment", {**PK, "attachment": "1"}),
    Denial("progress:faq", refused=EVERYONE),
    Denial("progress:faq_create"),
    Denial("progress:faq_create", method="post"),
    Denial("progress:faq_entry", PK),
    Denial("progress:faq_edit", PK),
]

API = [
    Denial("progress_api:campaigns", refused=EVERYONE),
    Denial("progress_api:campaign", CAMPAIGN),
    Denial("progress_api:national", CAMPAIGN),
    Denial("progress_api:prefecture", PREFECTURE),
    Denial("progress_api:organisation", ORGANISATION),
    Denial("progress_api:timeline", ORGANISATION),
    Denial("progress_api:follow_ups", ORGANISATION),
    Denial("progress_api:follow_ups", ORGANISATION, method="post"),
    Denial("progress_api:follow_up_answer", PK, method="post"),
    Denial("progress_api:report", MONTH),
    Denial("progress_api:report", MONTH, method="put"),
    Denial("progress_api:report_submit", MONTH, method="post"),
    Denial("progress_api:report_unchanged", MONTH, method="post"),
    Denial("progress_api:notices", refused=EVERYONE),
    Denial("progress_api:notices", method="post", refused=EVERYONE),
    Denial("progress_api:notices_sent", refused=EVERYONE),
    Denial("progress_api:notice", PK),
    Denial("progress_api:notice_read", PK, method="post"),
    Denial("progress_api:notice_confirm", PK, method="post"),
    Denial("progress_api:notice_recipients", PK),
    Denial("progress_api:questions", refused=EVERYONE),
    Denial("progress_api:questions", method="post", refused=EVERYONE),
    Denial("progress_api:question", PK),
    Denial("progress_api:question_answer", PK, method="post"),
    Denial("progress_api:question_forward", PK, method="post"),
    Denial("progress_api:question_publish", PK, method="post"),
    Denial("progress_api:faq", refused=EVERYONE),
    Denial("progress_api:faq_entry", PK),
]

DENIALS = [*PAGES, *API]
