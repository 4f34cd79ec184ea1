"""The BI marts on the sample year, built once for all the files here (conftest.py) and checked against
figures computed from the same event files by tests/oracle_marts.py, one file per group of marts."""
