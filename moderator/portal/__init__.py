"""Connectors to the portal (README, "Portal sync"): ``http`` and ``folder``.

No SQL here: the connectors move action payloads, receipts and export pages between
moderator and the portal; :mod:`moderator.services.portal_sync` decides what to send and
records the outcome in the store.
"""
