"""corpusqa: news articles in, a Datasette publication with traceable claims out."""

__version__ = "0.1.0"
