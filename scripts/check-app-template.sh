#!/usr/bin/env bash
# The app skeleton of docs/APP_TEMPLATE.md passes lint, types and its own tests out of the
# box: generate an app from it in a throw-away copy of the source tree, register it the way
# the document says, and run ruff, mypy --strict, the app's tests and the project's
# architecture, tenancy, audit and denial tests with it installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
work=$(mktemp -d /tmp/mamoru-app-template.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp "$root/pyproject.toml" "$work/"
mkdir -p "$work/bench"
(cd "$root" && tar --exclude=__pycache__ --exclude='*.pyc' -cf - src) | (cd "$work" && tar -xf -)
cd "$work/src"
mkdir -p mamoru/sample
"$bin/django-admin" startapp --template mamoru/core/app_template --extension py,html \
  sample mamoru/sample

# Register it, as docs/APP_TEMPLATE.md says.
sed -i 's/^    "mamoru.incidents",$/    "mamoru.incidents",\n    "mamoru.sample",/' mamoru/settings.py
sed -i 's/^    "web",  # the shell/    "sample",\n    "web",  # the shell/' mamoru/core/tests/test_architecture.py
sed -i 's/^DOMAIN_APPS: tuple\[str, ...\] = (/DOMAIN_APPS: tuple[str, ...] = ("sample", /' mamoru/core/tests/test_architecture.py
sed -i 's|^urlpatterns = \[|urlpatterns = [\n    path("sample/", include("mamoru.sample.ui.urls")),\n    path("api/v1/sample/", include("mamoru.sample.api.urls")),|' mamoru/urls.py
grep -q '"mamoru.sample"' mamoru/settings.py
grep -q 'mamoru.sample.ui.urls' mamoru/urls.py

cd "$work"
export PYTHONPATH="$work/src"
"$bin/ruff" check src/mamoru/sample
"$bin/ruff" format --check src/mamoru/sample
DJANGO_SETTINGS_MODULE=mamoru.settings "$bin/mypy" src/mamoru/sample
MAMORU_DATA_DIR="$work/var" "$bin/pytest" -q -p no:randomly -n 0 \
  src/mamoru/sample \
  src/mamoru/core/tests/test_architecture.py \
  src/mamoru/core/tests/test_tenancy.py \
  src/mamoru/core/tests/test_audit_actions.py \
  "src/mamoru/core/tests/test_denials.py" -k "sample or architecture or tenancy or audit_actions or every_named_url"
echo "app template: the generated app passes lint, types and its tests"
