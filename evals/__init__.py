"""Evaluation harness (golden questions, metrics, CI gate). Grows with the eval issue."""
