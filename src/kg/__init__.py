"""A knowledge graph of Central Asian summit diplomacy, built, checked and queried."""

__version__ = "0.1.0"
