"""Who is refused each URL of the security cloud (see ``mamoru.testing.Denial``).

Prefecture pages name 東京都: its municipalities, the other prefecture's, the nation (which
reads statistics only) and the outsider are refused. Object URLs name records that do not
exist for anyone; ``test_pages`` checks the same refusals on real records.
"""

from mamoru.testing import CHIYODA, TOKYO, Denial

NOT_TOKYO = ("outsider", "chiyoda", "hachioji", "osaka_city", "nation", "osaka")
PREFECTURE = {"code": TOKYO}
RULE = {**PREFECTURE, "pk": "999999"}
PK = {"pk": "999999"}
REPORT = {"code": CHIYODA, "month": "2026-10"}
OTHERS = ("outsider", "hachioji", "osaka_city", "nation")

PAGES = [
    Denial("seccloud:home", refused=("outsider",)),
    Denial("seccloud:prefecture", PREFECTURE, refused=NOT_TOKYO),
    Denial("seccloud:ingest", PREFECTURE, refused=NOT_TOKYO),
    Denial("seccloud:upload", PREFECTURE, method="post", refused=NOT_TOKYO),
    Denial("seccloud:settings", PREFECTURE, refused=NOT_TOKYO),
    Denial("seccloud:device_save", PREFECTURE, method="post", refused=NOT_TOKYO),
    Denial("seccloud:ranges_import", PREFECTURE, method="post", refused=NOT_TOKYO),
    Denial("seccloud:rule_toggle", RULE, method="post", refused=(*NOT_TOKYO, "tokyo")),
    Denial("seccloud:schedule_save", PREFECTURE, method="post", refused=NOT_TOKYO),
    Denial("seccloud:report_compute", PREFECTURE, method="post", refused=NOT_TOKYO),
    Denial("seccloud:alert", PK, refused=(*OTHERS, "tokyo", "chiyoda")),
    Denial("seccloud:alert_acknowledge", PK, method="post", refused=(*OTHERS, "tokyo")),
    Denial("seccloud:alert_close", PK, method="post", refused=(*OTHERS, "tokyo")),
    Denial("seccloud:organisation", {"code": CHIYODA}, refused=OTHERS),
    Denial("seccloud:national", refused=("outsider", "chiyoda", "hachioji", "osaka_city")),
    Denial("seccloud:report", REPORT, refused=OTHERS),
    Denial("seccloud:report_pdf", REPORT, refused=OTHERS),
    Denial("seccloud:report_csv", REPORT, refused=OTHERS),
]

DENIALS = PAGES
