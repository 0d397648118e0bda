"""Stage 1, ingest: bytes to an article (encoding, HTML, language, date) and its sentences."""
