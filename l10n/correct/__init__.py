"""The correction stage: glossary enforcement and QA checks on raw machine translation."""
