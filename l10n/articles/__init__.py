"""Reading articles: files, folders, JSONL batches, web pages; encodings and site boilerplate."""
