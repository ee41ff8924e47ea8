"""Implementation surveys and maturity assessments (issue 12).

For now only the pure core lives here: :mod:`mamoru.assessments.library` (framework
format, scoring, peer statistics, gap prioritisation, version mappings) and the shipped
frameworks in ``frameworks/``. The Django app (models, campaigns, pages, API, PDF) is
built on top of it later; this package deliberately has no ``apps.py`` yet.
"""
