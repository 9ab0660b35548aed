"""Review outputs: diffs, the HTML report, XLIFF and TMX, the review document and reapply."""
