"""Payment gateway adapters (outgoing side) and the registry the use cases look them up in."""
