"""The case file (案卷): documents, service of letters, the archive package, retention.

- `documents`: files attached to an application or one of its events (stored in
  `disclosure.storage`), with their media type detected from the bytes (`detect`).
- `serving`: service (送达) records of issued letters, as events; the dates they establish
  (`served_dates`, `reply_given_on`) and the letters still unserved (`unserved_letters`).
- `archive`: the archive package, one PDF (and a zip of what cannot be converted), stored
  like an issued letter; later documents go into numbered supplements.
- `retention`: removing applicants' personal data once the retention period has passed.
"""
