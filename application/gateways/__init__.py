"""The gateways' inbound protocols: what Click, Payme and the redirect gateways may ask of Hamyon."""
