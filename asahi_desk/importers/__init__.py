"""Readers of outside formats (JSON interchange, Excel): produce domain objects; no Qt, no SQL."""
