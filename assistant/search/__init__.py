"""Search: candidates from the keyword, dense and exact-reference paths, fused and ranked."""
