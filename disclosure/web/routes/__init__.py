"""Routers: each module renders pages and calls services; no business rules here."""
