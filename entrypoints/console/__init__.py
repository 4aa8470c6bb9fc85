"""The admin console (SPEC §16): ``/admin/``, server-rendered with Tornado templates, no CDN.

Its pages call the same use cases as the admin API (``hamyon.admin``, ``.wallets``,
``.settlement``, ``.webhooks``, ``.api_keys``, ``.fiscal``); its own are ``hamyon.console``'s
sign-in links and dashboard figures. ``console_rules(context)`` (``app.py``) gives its routes.
"""
