"""pantau: code Indonesian and English news into PLOVER event records."""

__version__ = "0.1.0"
