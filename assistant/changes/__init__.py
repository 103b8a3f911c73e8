"""Regulatory change tracking: versions of one rulebook, what changed between two, and the impact on a policy."""
