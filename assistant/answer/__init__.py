"""Answers: the Assistant facade, the extractive answerer, the optional LLM and its verifier."""
