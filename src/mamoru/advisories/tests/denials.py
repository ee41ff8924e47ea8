"""Who is refused each URL of the advisories app and its TAXII server.

Object URLs name an advisory or share that does not exist for anyone; ``test_access``
checks real ones. TAXII takes API tokens only: a signed-in browser session is refused
(401) like anyone without a token.
"""

from mamoru.advisories.api.taxii import COLLECTION_ID
from mamoru.testing import Denial

EVERYONE = ("outsider",)
ID = {"public_id": "6f1c2a51-5a43-4a8b-9d8e-2b7b3c1d0e9f"}
COLLECTION = {"collection_id": COLLECTION_ID}
OBJECT = {**COLLECTION, "object_id": "report--6f1c2a51-5a43-4a8b-9d8e-2b7b3c1d0e9f"}
SESSION = ("outsider", "hachioji", "nation")  # no token: refused whoever they are

PAGES = [
    Denial("advisories:advisories", refused=EVERYONE),
    Denial("advisories:sent", refused=EVERYONE),
    Denial("advisories:advisory_create"),
    Denial("advisories:advisory_create", method="post"),
    Denial("advisories:advisory_import"),
    Denial("advisories:advisory_import", method="post"),
    Denial("advisories:advisory", ID),
    Denial("advisories:advisory_acknowledge", ID, method="post"),
    Denial("advisories:advisory_answer", ID, method="post"),
    Denial("advisories:advisory_state", ID),
    Denial("advisories:advisory_export", {**ID, "fmt": "stix"}),
    Denial("advisories:shares", refused=EVERYONE),
    Denial("advisories:share_create", refused=("outsider", "ppc")),
    Denial("advisories:share_create", method="post", refused=("outsider", "ppc")),
    Denial("advisories:share", ID),
    Denial("advisories:share_attachment", {**ID, "pk": "1"}),
]

API = [
    Denial("advisories_api:advisories", refused=EVERYONE),
    # A body the schema accepts is refused by the service (test_api checks it with one).
    Denial("advisories_api:advisories", method="post", refused=EVERYONE),
    Denial("advisories_api:sent", refused=EVERYONE),
    Denial("advisories_api:import", method="post", refused=EVERYONE),
    Denial("advisories_api:advisory", ID),
    Denial("advisories_api:acknowledge", ID, method="post"),
    Denial("advisories_api:answer", ID, method="post"),
    Denial("advisories_api:state", ID),
    Denial("advisories_api:stix", ID),
    Denial("advisories_api:misp", ID),
    Denial("advisories_api:shares", refused=EVERYONE),
    Denial("advisories_api:shares", method="post", refused=EVERYONE),
    Denial("advisories_api:share", ID),
]

TAXII = [
    Denial("taxii:discovery", refused=SESSION),
    Denial("taxii:api_root", refused=SESSION),
    Denial("taxii:collections", refused=SESSION),
    Denial("taxii:collection", COLLECTION, refused=SESSION),
    Denial("taxii:objects", COLLECTION, refused=SESSION),
    Denial("taxii:object", OBJECT, refused=SESSION),
    Denial("taxii:versions", OBJECT, refused=SESSION),
    Denial("taxii:manifest", COLLECTION, refused=SESSION),
]

DENIALS = [*PAGES, *API, *TAXII]
