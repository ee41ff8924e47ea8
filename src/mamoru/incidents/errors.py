"""Errors of the incidents services (``mamoru.core.exceptions`` says how every interface
maps them: 409 for a wrong state, 422 for content that contradicts itself)."""

from __future__ import annotations

from mamoru.core.exceptions import StateConflict, Unprocessable


class ReportStateError(StateConflict):
    """The report is not in a state that allows this (e.g. already closed)."""


class ContentInvalidError(Unprocessable):
    """Well-formed content that the records refuse (a timeline out of order, …)."""
