"""Gateway-neutral use cases every gateway package builds on: the redirect-callback flow
(``redirect``), reconciliation of payments left processing (``reconciliation``) and the lookups
they need (``lookups``). A gateway's wire format, signatures and inbound protocol live in its own
package (``adapters.gateways.<name>``), never here."""
