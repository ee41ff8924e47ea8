from mamoru.testing import Denial

# The API's documentation is public: it describes operations, and every operation itself
# refuses whoever may not use it.
DENIALS = [
    Denial("api:schema", public=True),
    Denial("api:docs", public=True),
    Denial("api:redoc", public=True),
    Denial("api:redoc-script", public=True),
]
