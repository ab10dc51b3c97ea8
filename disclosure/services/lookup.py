"""Finding one application by its registration number."""

from __future__ import annotations

from sqlmodel import Session, select

from disclosure.errors import NotFound
from disclosure.models import Application


def get_application(session: Session, number: str, *, lock: bool = False) -> Application:
    """The application numbered `number`; `lock=True` holds its row until the transaction ends
    (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transaction already excludes others),
    so two clerks recording on the same application at once are serialised."""
    stmt = select(Application).where(Application.number == number)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    app = session.exec(stmt).first()
    if app is None:
        raise NotFound(f"没有编号为 {number} 的申请", field="number")
    return app
