"""The tabs of the AVG coordinator's screen, one widget module each.

Each tab is an :class:`~moderator.screens.audit_tabs.base.AuditTab`: it composes its own
fields, reads through the services when it is opened or refreshed (reads are logged),
and reports errors as notifications. The screen (moderator/screens/audit.py) only holds
the tab strip and the keys that switch between tabs.
"""
