"""Excel (.xlsx) import: safe opening, sheet and header detection, cell normalisation, layouts, matching."""
