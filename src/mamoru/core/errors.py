"""Error responses: JSON under /api/, the site's styled pages elsewhere.

The pages are templates at the template root of ``web`` (``400.html``, ``403.html``,
``403_csrf.html``, ``404.html``, ``500.html``), rendered by Django's own handlers: 403
and 404 with the request (so with the navigation of ``web/base.html``), 400, 500 and the
CSRF failure without it, on ``web/error_base.html``, which reads no database. Should the
500 page itself fail to render, a fixed page is sent instead: an error page must not
raise.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

# The last resort, when even the minimal 500 page cannot be rendered: both languages,
# no template, no static file.
SERVER_ERROR_FALLBACK = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>サーバーで問題が発生しました | mamoru</title></head>
<body><main>
<h1>サーバーで問題が発生しました</h1>
<p>少し時間をおいてから、もう一度お試しください。何度も表示される場合は、mamoru の運用担当に、発生した日時と操作を知らせてください。</p>
<p><a href="/">ホームへ戻る</a></p>
<h1 lang="en">Something went wrong on the server</h1>
<p lang="en">Please try again in a little while. If this keeps happening, tell mamoru's operators when it happened and what you were doing.</p>
<p lang="en"><a href="/">Back to the home page</a></p>
</main></body></html>
"""


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: the request was malformed (a bad Host header, a suspicious operation)."""
    if _is_api(request):
        return JsonResponse({"detail": _("リクエストの内容が正しくありません。")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: the signed-in person may not do this; the reason is shown when there is one."""
    if _is_api(request):
        detail = str(exception) or _("この操作を行う権限がありません。")
        return JsonResponse({"detail": detail}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: no such page (or one the person may not know exists)."""
    if _is_api(request):
        return JsonResponse({"detail": _("見つかりません。")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: an unexpected error; the page needs neither the database nor the person."""
    if _is_api(request):
        return JsonResponse({"detail": _("サーバーで問題が発生しました。")}, status=500)
    try:
        return defaults.server_error(request)
    except Exception:
        logger.exception("the 500 page could not be rendered; sending the fixed page")
        return HttpResponseServerError(SERVER_ERROR_FALLBACK)
