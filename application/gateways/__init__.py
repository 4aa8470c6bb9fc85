"""Gateway-neutral use cases every gateway package builds on: the public gateway catalogue
(``catalog``), the redirect-callback flow (``redirect``) and reconciliation of payments left
processing (``reconciliation``). A gateway's wire format, signatures and inbound protocol live in
its own package (``adapters.gateways.<name>``), never here."""
