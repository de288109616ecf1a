"""The demo data set behind `manage.py seed_demo`, in three parts a reader can follow:

- `data.py`: the reference lists (offices, partners, people, themes);
- `planner.py`: plans the whole set in memory from a fixed seed and a reference date;
- `writer.py`: stores the plan, creating only what is missing (safe to rerun).
"""
