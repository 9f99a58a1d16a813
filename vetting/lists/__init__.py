"""Importers for the publishers' real list formats; each returns a ListVersion."""
