"""coopex: Kazakhstan-China cooperation events from news, as validated JSON records."""

__version__ = "0.1.0"
