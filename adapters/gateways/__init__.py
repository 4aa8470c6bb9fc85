"""Payment gateways, one package each (``click`` with its card rails, ``payme``, ``medogram``,
``sandbox``): its outgoing calls, its wire format and its inbound protocol, and one descriptor
(``package.GatewayPackage``) for the composition root. What the packages share stays out here:
outgoing HTTP with retries (``outgoing``), availability probes (``probes``), the registry the use
cases look adapters up in (``registry``). No package imports another."""
