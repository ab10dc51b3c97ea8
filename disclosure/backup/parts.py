"""What a backup holds besides the database: `backup_parts(settings)`, the one list to
extend when the product keeps another kind of file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from disclosure.data_folder import secret_key_path
from disclosure.settings import Settings

DEFAULT_DOCUMENTS = "data/documents"


@dataclass(frozen=True)
class Part:
    """A file or folder to back up, and where it lives on this installation.

    `restore`: how `disclosure restore` treats it — "replace" puts it back in place,
    "keep_aside" only keeps it in the archive (the configuration: the server restored to
    may need different settings; docs/operations.md says how to extract it).
    """

    name: str  # the folder inside the archive
    kind: Literal["file", "folder"]
    path: Path
    restore: Literal["replace", "keep_aside"] = "replace"


def documents_dir(settings: Settings) -> Path:
    """The document store: `[documents] dir` when the setting exists, else data/documents."""
    section = getattr(settings, "documents", None)
    configured = getattr(section, "dir", None) if section is not None else None
    return settings.resolve(str(configured or DEFAULT_DOCUMENTS))


def backup_parts(settings: Settings) -> list[Part]:
    """Every part present on this installation (a missing one is simply not listed)."""
    candidates = [
        Part("secret_key", "file", secret_key_path(settings)),
        Part("documents", "folder", documents_dir(settings)),
    ]
    if settings.config_path:
        candidates.append(Part("config", "file", Path(settings.config_path), "keep_aside"))
    return [
        p
        for p in candidates
        if (p.kind == "file" and p.path.is_file()) or (p.kind == "folder" and p.path.is_dir())
    ]
