"""Forms: see modules/forms/__init__.py."""
