"""The API documentation pages — Swagger UI and ReDoc — under the site's Content Security
Policy and with no request leaving the platform (LGWAN has no internet).

Everything comes from drf-spectacular-sidecar and is served by the platform. The site's
policy stays as strict as everywhere else; each page only adds what carries its own
response's nonce:

* Swagger UI: drf-spectacular's split view serves the start-up script as a file of its
  own (``?script``), so the page has no inline script; its one ``<style>`` has the nonce.
  Swagger UI's online validator (a badge fetched from swagger.io, not part of the layout
  drf-spectacular uses) is turned off in ``SPECTACULAR_SETTINGS`` all the same.
* ReDoc: the page's start-up script and ``<style>`` have the nonce, and ReDoc is given
  it for the ``<style>`` elements it writes (styled-components). ReDoc builds its search
  index in a worker made from a ``blob:`` URL, which the page allows. The bundle is
  served by ``redoc_script`` with three changes, each found exactly once or the page
  fails loudly (a sidecar release that moves them must be looked at, not silently
  served with a request to the internet):

  1. the badge's image comes from Redocly's CDN (drf-spectacular-sidecar issue #11,
     Redocly/redoc issue #2108): its ``src`` becomes empty, which makes no request and
     hides the image through its own ``onError``; the "API docs by Redocly" link stays;
  2. webpack's nonce (``__webpack_require__.nc``) is read from the bundle's own
     ``<script nonce>``, for the ``<style>`` its style-loader writes while the bundle
     loads, before ``Redoc.init`` can pass one;
  3. the source-map comment goes: the map describes the bundle before the changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOC_PATCHES = (
    ('src:"https://cdn.redoc.ly/redoc/logo-mini.svg"', 'src:""'),
    ("r.nc=void 0", "r.nc=document.currentScript&&document.currentScript.nonce||void 0"),
    ("//# sourceMappingURL=redoc.standalone.js.map", ""),
)


@lru_cache(maxsize=1)
def redoc_bundle() -> bytes:
    """ReDoc's standalone bundle from the sidecar, with the changes above."""
    found = finders.find(REDOC_BUNDLE)
    if not isinstance(found, str):
        raise ImproperlyConfigured(
            f"{REDOC_BUNDLE} is missing: is drf-spectacular-sidecar installed?"
        )
    text = Path(found).read_text(encoding="utf-8")
    for old, new in REDOC_PATCHES:
        count = text.count(old)
        if count != 1:
            raise ImproperlyConfigured(
                f"{found}: expected {old!r} once, found it {count} times; the sidecar's ReDoc "
                "changed: review mamoru/api/docs.py"
            )
        text = text.replace(old, new)
    return text.encode("utf-8")


def redoc_script(request: HttpRequest) -> HttpResponse:
    """ReDoc's bundle as the ReDoc page loads it."""
    response = HttpResponse(redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


swagger_page = csp_update({"style-src": [NONCE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
)
redoc_page = csp_update(
    {"style-src": [NONCE], "script-src": [NONCE], "worker-src": ["'self'", "blob:"]}
)(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"))
