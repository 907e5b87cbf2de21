"""The version of polybrief, in a module of its own so that any module may name it without importing the package root."""

__version__ = "0.1.0"
"""This polybrief's version.  A site records it with every page, so pages built by another version
are built again rather than mixed with this one's.

>>> polybrief.__version__
'0.1.0'
"""
