"""Policy gap check: the obligation register, the clause checker and its reports."""
