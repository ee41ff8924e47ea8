"""Implementation surveys and maturity assessments (issue 12).

The pure core is :mod:`mamoru.assessments.library` (framework format, scoring, peer
statistics, gap prioritisation, version mappings) with the shipped frameworks in
``frameworks/``; the Django app around it (models, services, selectors, tasks, API,
pages, reports) is described in ``README.md``.
"""
