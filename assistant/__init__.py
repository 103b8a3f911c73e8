"""regassist: answers and search over the AIFC/AFSA rulebooks, with exact citations."""

__version__ = "0.1.0"
