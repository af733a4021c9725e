"""Microscale's MkDocs plugin: lesson directives whose numbers come from numpy in ``pycore``."""
