"""Interchange file formats, one owner each: XLIFF, TMX and the XML they share.

Each module reads and writes its format and nothing else: what a run, the memory or the
glossary puts into a file (and makes of one read back) stays with them.
"""
