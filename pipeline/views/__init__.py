"""Analysts' views of the records: merge across articles, export tables, the report."""
