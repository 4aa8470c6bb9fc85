"""The old home of ``application.dependencies``, kept while imports move over."""

from application.dependencies import Dependencies, SilentEvents, UseCases

__all__ = ["Dependencies", "SilentEvents", "UseCases"]
