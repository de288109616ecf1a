"""Forms of the modules app, one file per audience (see modules/views/__init__.py)."""
