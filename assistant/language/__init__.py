"""Language helpers shared by answers, verification and the policy checker: sentences, quantities."""
