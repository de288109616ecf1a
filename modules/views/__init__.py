"""Views of the modules app, one file per audience:

- `planning`: agency staff plan modules, sessions, attendance, requests and evaluations;
- `participants`: partner caseworkers register clients and enrol them;
- `reports`: managers and staff read the yearly counts.
"""
