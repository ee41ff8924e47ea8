"""Web pages of incident reporting: the reporter's reports, the recipients' inbox,
exports, statistics and notifications. Thin views over ``incidents.services`` and
``incidents.selectors``; mounted by the project at ``/incidents/``."""
