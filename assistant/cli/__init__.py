"""The `regassist` command line: one module per command group; errors are translated once, in ``errors``."""

from assistant.cli.main import main

__all__ = ["main"]
