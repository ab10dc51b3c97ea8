"""The versioned JSON API (`/api/v1`) for the online platform and the office's other systems.

`app.create_api` builds a FastAPI sub-app mounted into the web app; every route calls the
service layer (`disclosure.services`) and nothing else decides anything. Callers authenticate
with an API token (`tokens`, `auth`); errors are RFC 9457 problem details (`problems`).
"""
