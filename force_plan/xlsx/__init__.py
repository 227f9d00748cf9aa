"""Figures and tables → workbooks written to disk.

Enters: ``Results`` (and ``Inputs``). ``save`` is the one deterministic atomic writer and
overwrite policy; ``layout`` the styles and cell helpers; ``rows`` streams Data rows;
``plan`` writes a plan workbook from ``view`` through the ``sheets_*`` modules, ``checks``
(+ ``checks_terms``) and ``charts``; ``sweep_book`` and ``risk_book`` the what-if books.
Leaves: .xlsx files (never the input, never an overwrite without ``--force``).
"""
