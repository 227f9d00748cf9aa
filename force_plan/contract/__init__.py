"""The workbook contract (WORKBOOK.md, version 2), declared once.

Enters: nothing (this is the bottom of the house). Leaves: ``schema`` — every sheet,
column, setting and Data column that readers, writers and the template use.
"""
