"""Machine translation: engines, Argos packages, the translation memory and the translate stage."""
