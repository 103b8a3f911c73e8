"""Storage: the Index composes a catalog (SQLite), vectors (Chroma) and keywords (bm25s) it is given."""
