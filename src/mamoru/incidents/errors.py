"""Errors of the incidents services, finer than ``ValidationError`` so interfaces can say
why: the API answers 409 for a wrong state and 422 for content that contradicts itself
(e.g. started after it was noticed); plain bad input stays 400."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ReportStateError(ValidationError):
    """The report is not in a state that allows this (e.g. already closed)."""


class ContentInvalidError(ValidationError):
    """Well-formed content that the records refuse (a timeline out of order, …)."""
