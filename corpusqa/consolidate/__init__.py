"""Corpus-level consolidation: stories, events and quality flags."""
