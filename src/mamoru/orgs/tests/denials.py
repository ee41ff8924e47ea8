"""Who is refused each URL of the organisations app (checked by core/tests/test_denials.py).

Object URLs name 千代田区 (or a membership or token nobody of the cast owns): its sibling
八王子市, 大阪市 and the outsider must all be refused, and learn nothing from the answer.
"""

from mamoru.testing import CHIYODA, Denial

ANYONE_ACTING = ("outsider",)  # lists answer every member with what they may see
# Writes to 千代田区's people: its viewer, the prefecture and the nation are refused too.
MANAGERS_ONLY = ("outsider", "hachioji", "osaka_city", "chiyoda_viewer", "tokyo", "nation")

DENIALS = [
    # Pages.
    Denial("orgs:directory", refused=ANYONE_ACTING),
    Denial("orgs:organisation", {"code": CHIYODA}),
    # A municipality supervises nothing: its members get an empty table, the outsider nothing.
    Denial("orgs:municipalities", refused=ANYONE_ACTING),
    Denial("orgs:members", {"code": CHIYODA}),
    # 千代田区's people are managed by its own administrators only (the prefecture appoints
    # a first administrator only where there is none, which the tests create on purpose).
    Denial("orgs:member_invite", {"code": CHIYODA}, method="post", refused=MANAGERS_ONLY),
    Denial("orgs:member_role", {"code": CHIYODA, "pk": "1"}, method="post", refused=MANAGERS_ONLY),
    Denial(
        "orgs:member_remove", {"code": CHIYODA, "pk": "1"}, method="post", refused=MANAGERS_ONLY
    ),
    Denial(
        "orgs:invitation_revoke", {"code": CHIYODA, "pk": "1"}, method="post", refused=MANAGERS_ONLY
    ),
    # The link's secret is the credential: anyone may open it; an unknown secret is a 404.
    Denial("orgs:invitation_accept", {"secret": "no-such-invitation"}, refused=()),
    Denial("orgs:tokens", refused=ANYONE_ACTING),
    Denial("orgs:token_create", refused=ANYONE_ACTING),
    # Token 1 is nobody's in the cast: everyone but its owner gets 404 (see test_tokens.py
    # for a real token of another person).
    Denial("orgs:token_revoke", {"pk": "1"}, method="post"),
    # An empty choice is an organisation nobody may act in (test_switch.py tries real ones).
    Denial("orgs:switch", method="post"),
    # API operations.
    Denial("orgs_api:me", refused=ANYONE_ACTING),
    Denial("orgs_api:organisations", refused=ANYONE_ACTING),
    Denial("orgs_api:organisation", {"code": CHIYODA}),
    Denial("orgs_api:memberships", {"code": CHIYODA}),
    Denial("orgs_api:memberships", {"code": CHIYODA}, method="post"),
    Denial("orgs_api:membership", {"pk": "1"}, method="delete"),
    Denial("orgs_api:membership", {"pk": "1"}, method="patch"),
    Denial("orgs_api:invitations", {"code": CHIYODA}),
    Denial("orgs_api:invitations", {"code": CHIYODA}, method="post"),
    Denial("orgs_api:invitation", {"pk": "1"}, method="delete"),
    Denial("orgs_api:tokens", refused=ANYONE_ACTING),
    Denial("orgs_api:tokens", method="post", refused=ANYONE_ACTING),
    Denial("orgs_api:token", {"pk": "1"}, method="delete"),
]
