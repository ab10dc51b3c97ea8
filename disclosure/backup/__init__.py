"""Backups an office can restore from (docs/operations.md).

`disclosure backup` writes one `.tar.gz` holding a consistent copy of the database taken
while the service runs (SQLite's online backup API; `pg_dump` in custom format from an
exported snapshot on PostgreSQL), the document store, the secret key and the configuration,
with a manifest giving the SHA-256 of every file. `disclosure backup verify` checks an
archive end to end; `disclosure restore` puts one back into an empty database.

- `parts`: what a backup holds besides the database (one function to extend).
- `database`: dumping, checking, measuring and restoring the database.
- `archive`: writing and verifying the archive, keeping the newest N.
- `restore`: putting an archive back.
- `schedule`: the office service's daily backup.
"""
