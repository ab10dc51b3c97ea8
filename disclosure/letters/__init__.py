"""Standard letters (rulebook §9): Word templates rendered with docxtpl, numbered per series.

- `kinds`: the catalogue of letter kinds (Chinese names, series, the event each records).
- `models`: the `letter` table (one row per issued letter: its serial number and date).
- `service`: issuing a letter — records its event and number in the caller's transaction.
- `context`: the facts a template sees, taken from the ledger and the deadline engine.
- `replies`: the outcome-specific paragraphs of reply letters (rulebook §8).
- `render`: .docx rendering (docxtpl) and PDF conversion (LibreOffice headless).
"""
