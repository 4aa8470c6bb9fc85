"""Posting events to the platform's webhook endpoints: which URLs may be posted to
(``urls.ResolvingUrlPolicy``) and the HTTP client that posts (``sender.TornadoSender``)."""
