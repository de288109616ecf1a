"""Partnerwerk's connections to the systems around it: the REST API, calendar feeds and the
client import from a spreadsheet.

Layering: `integratie` → `api` → `modules` → `partnerships`. This app reads through the
`queries` of the apps below and writes through their `services`; no app below imports it.
"""
