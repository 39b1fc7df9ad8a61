"""Excel and CSV imports of the registry (R-SEC-3): read a file, normalise its cells, preview, apply.

readers.py    bytes of an .xlsx, .xls or CSV file → a Table of rows keyed by the Chinese headers
normalise.py  one cell → one clean value, or a ValidationError naming what is wrong
roster.py     the 花名册 of secretaries: preview every row without writing, then apply all or nothing
units.py      the unit list (组织代码, 组织名称, ...) for core.services.orgunits.org_units_import
rejects.py    the rejected rows back as an .xlsx with 错误说明 beside each
"""
