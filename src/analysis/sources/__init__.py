"""Input adapters: each turns one kind of source file into a DataFrame and checks its shape, nothing else.

- ``analysis.sources.curated``   curated aggregate tables of data/raw/curated (checksummed, validated)
- ``analysis.sources.viasna``    a Viasna person-level export (CSV/XLSX, machine or localized header)
- ``analysis.sources.synthetic`` synthetic person-level export with known truth (not real people)

Submodules are imported explicitly by their users; this package imports nothing on purpose.
"""
