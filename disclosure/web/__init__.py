"""The web interface (FastAPI + Jinja2), built by `disclosure.web.app.create_app`."""
