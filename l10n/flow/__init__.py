"""The Prefect layer: the translate-articles flow, its run form, artifacts and serving."""
