"""Structuring appeals without codes in the restricted layer: rubrics and texts → sector and category."""
