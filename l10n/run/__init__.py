"""The run: the one owner of a run's on-disk layout (write, read, list, resume, lock)."""
