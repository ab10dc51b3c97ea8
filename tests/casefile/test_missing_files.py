"""A stored file that is not there: a Chinese reason naming the store, never a traceback, and a
store folder that does not exist at all is called what it usually is (the wrong folder)."""

from __future__ import annotations

import json
import shutil

from tests.casefile.conftest import image_bytes, register


def _attached(desk, tmp_path) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    number = register(desk)
    (tmp_path / "scan.jpg").write_bytes(image_bytes("JPEG"))
    out = json.loads(desk.ok("attach", number, "scan.jpg", "--kind", "application_form",
                             "--json").stdout)  # fmt: skip
    return out["id"], out["sha256"]


def test_a_lost_file_names_the_store_and_the_backup(desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc, sha = _attached(desk, tmp_path)
    (tmp_path / "docs" / sha[:2] / sha[2:4] / sha).unlink()
    r = desk("file", "get", str(doc), "--out", str(tmp_path / "back.jpg"))
    assert r.exit_code != 0 and "Traceback" not in r.stderr
    store = tmp_path / "docs"
    assert f"存储的文件缺失（文件库 {store} 中没有 {sha[:12]}…），请从备份恢复文件库" in r.stderr
    assert not (tmp_path / "back.jpg").exists()


def test_a_missing_store_folder_points_at_the_config(desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc, _sha = _attached(desk, tmp_path)
    shutil.rmtree(tmp_path / "docs")
    r = desk("file", "get", str(doc), "--out", str(tmp_path / "back.jpg"))
    assert r.exit_code != 0 and "Traceback" not in r.stderr
    assert f"文件库目录 {tmp_path / 'docs'} 不存在" in r.stderr
    assert "--config" in r.stderr and "documents.dir" in r.stderr
