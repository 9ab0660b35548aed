"""Names beyond the glossary: finding them in the source, locating renderings, consistency."""
