"""Service layer: keyword-only functions handed a session. Callers never touch the session."""
