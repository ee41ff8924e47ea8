from __future__ import annotations

from django.http import HttpRequest

from mamoru.orgs.selectors import acting_contexts


def acting_organisation(request: HttpRequest) -> dict[str, object]:
    """The acting principal and the organisations the person may switch to, for the layout."""
    principal = getattr(request, "principal", None)
    if principal is None or not request.user.is_authenticated:
        return {"principal": None, "acting_contexts": []}
    contexts = getattr(request, "acting_contexts", None)  # read once by the middleware
    if contexts is None:
        contexts = acting_contexts(user=request.user)
    return {"principal": principal, "acting_contexts": contexts}
