"""Persistence: SQLAlchemy 2.x models, engine, unit of work, ORM <-> domain mapping, migrations."""
