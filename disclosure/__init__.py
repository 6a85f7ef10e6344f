"""Static site generator for a Chinese local government's information-disclosure column."""

__version__ = "0.1.0"
