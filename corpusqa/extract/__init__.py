"""Extractors: pure functions from an article's body to records with character offsets."""
