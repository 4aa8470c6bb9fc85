"""Transitional: ``GatewayStepUseCases`` is now ``application.gateways.lookups.GatewayLookupUseCases``.
Kept until ``application.hamyon`` imports it from there."""

from application.gateways.lookups import GatewayLookupUseCases as GatewayStepUseCases

__all__ = ["GatewayStepUseCases"]
