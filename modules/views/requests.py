"""Views: see modules/views/__init__.py."""
