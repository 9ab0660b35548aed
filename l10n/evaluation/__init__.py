"""Measuring engines on a desk's own reference sets (`l10n eval`)."""
