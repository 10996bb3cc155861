"""mockmirror: a privacy-first, offline AI mock-interview coach."""

__version__ = "0.1.0"
