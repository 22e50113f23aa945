"""Turkish-aware full-text search over labels, quotes and source texts (issue 15): folding (`fold`), the SQLite
FTS5 side index (`index`)."""
