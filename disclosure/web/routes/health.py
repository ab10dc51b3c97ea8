"""`GET /healthz`: the service answers (for a reverse proxy's or monitor's health check).

No session, no database: it says only that the process serves requests. It is also the
hello-world anchor of `bench/bench_web.py` (the same stack and middleware as every page).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")
