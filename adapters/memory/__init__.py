"""The memory storage adapter: the storage contract in plain Python objects, for tests and demos."""

from adapters.memory.storage import MemoryStorage, MemoryUnitOfWork

__all__ = ["MemoryStorage", "MemoryUnitOfWork"]
