"""What the two SQL storages share where their logic is the same: row ↔ object mapping over one
schema, with each backend's own way of writing values (``adapters.sql.values``)."""
