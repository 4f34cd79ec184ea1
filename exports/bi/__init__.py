"""Apache Superset on the marts: its own venv, the BI role's connection, datasets, charts and the ЦУР dashboard."""
