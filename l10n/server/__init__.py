"""The local Prefect server l10n starts, reuses and stops (a process manager; no Prefect import)."""
