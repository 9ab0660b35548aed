"""Names in the story beyond the glossary: finding them in the source, locating their renderings, consistency."""
