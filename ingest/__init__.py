"""Ingestion: files to typed documents and structure-aware chunks."""
