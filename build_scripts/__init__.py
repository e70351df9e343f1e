"""Static-site digital archive generator: raw captures in, a curated MkDocs archive out."""

__version__ = "0.1.0"
