from mamoru.core.testing import CHIYODA, Denial

DENIALS = [
    Denial("api:schema", public=True),
    Denial("api:docs", public=True),
    Denial("api:redoc", public=True),
    Denial("api:redoc-script", public=True),
    Denial("api:me", refused=("outsider",)),
    Denial("api:organisations", refused=("outsider",)),
    Denial("api:organisation", {"code": CHIYODA}),
    Denial("api:memberships", {"code": CHIYODA}),
    Denial("api:memberships", {"code": CHIYODA}, method="post"),
    Denial("api:membership", {"pk": "1"}, method="delete"),
    Denial("api:tokens", refused=("outsider",)),
    Denial("api:tokens", method="post", refused=("outsider",)),
    Denial("api:token", {"pk": "1"}, method="delete"),
]
