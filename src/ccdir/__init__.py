"""ccdir: static-site generator for click-and-collect merchant directories."""

__version__ = "0.1.0"
