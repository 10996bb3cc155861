"""The analyser and analysed fixture answers these tests use live in tests/conftest.py (shared with
tests/fusion and tests/report, so they are built once per run)."""
