"""Ingestion: find files and read them into Documents (formats, pages, furniture, metadata)."""
