#!/bin/sh
# Build the front-end assets that mamoru serves itself (no CDN: it runs inside LGWAN).
#
# 1. npm installs the pinned packages (package-lock.json) into node_modules/;
# 2. exactly the files the pages load are copied into src/mamoru/web/static/vendor/
#    (git-ignored), where whitenoise / collectstatic pick them up;
# 3. our .po catalogues are compiled to .mo (also git-ignored).
#
# Idempotent and fast when nothing changed: npm runs only when the lock file is newer
# than node_modules, files are copied only when they differ, and compilemessages only
# rewrites catalogues whose .po changed.
#
# htmx is pinned to the 2.0 line: htmx 4 changed attribute inheritance and event names,
# and 2.0 is still maintained.
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-.venv/bin/python}
# A relative path (the default) is relative to the repository, not to src/mamoru below.
case "$PYTHON" in */*) case "$PYTHON" in /*) ;; *) PYTHON=$ROOT/$PYTHON ;; esac ;; esac
VENDOR=src/mamoru/web/static/vendor

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] || [ package.json -nt node_modules ]; then
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund
    else
        npm install --no-audit --no-fund
    fi
    touch node_modules
fi

# source (under node_modules/) → destination (under $VENDOR/)
copy() {
    src=node_modules/$1
    dst=$VENDOR/$2
    if [ ! -f "$src" ]; then
        echo "build-assets: $src is missing (did npm install fail?)" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$dst")"
    cmp -s "$src" "$dst" 2>/dev/null || cp "$src" "$dst"
}

copy @digital-go-jp/design-tokens/dist/tokens.css tokens.css
copy @digital-go-jp/design-tokens/LICENSE LICENSE.design-tokens
copy htmx.org/dist/htmx.min.js htmx.min.js
copy htmx.org/LICENSE LICENSE.htmx
copy axe-core/axe.min.js axe.min.js
copy axe-core/LICENSE LICENSE.axe-core

# Only our own catalogues (compilemessages would otherwise walk .venv and node_modules),
# and only when a .po is newer than its .mo: starting Django costs seconds.
cd src/mamoru
stale=no
for po in $(find . -path '*/locale/*/LC_MESSAGES/*.po' -not -path './node_modules/*'); do
    [ "${po%.po}.mo" -nt "$po" ] || stale=yes
done
if [ "$stale" = yes ]; then
    "$PYTHON" -m mamoru compilemessages --ignore=.venv --ignore=node_modules -v 0
fi
