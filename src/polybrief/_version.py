"""The version of polybrief, in a module of its own so that any module may name it without importing the package root."""

__version__ = "0.1.0"
