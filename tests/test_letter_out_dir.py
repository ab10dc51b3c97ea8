"""`disclosure letter` without --out writes into `[letters] out_dir` (issue 18, finding 8)."""

from __future__ import annotations

from pathlib import Path

REGISTER = (
    "register", "--channel", "in_person", "--received", "2026-03-02", "--applicant",
    "张三", "--applicant-type", "natural", "--content", "检查记录", "--today", "2026-03-05",
)  # fmt: skip


def test_letters_go_to_the_configured_folder_not_the_working_directory(
    cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    archive = tmp_path / "archive" / "letters"
    with (tmp_path / "config.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[letters]\nout_dir = "{archive}"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = cli("--config", str(tmp_path / "config.toml"), *REGISTER)
    assert r.exit_code == 0, r.stderr
    r = cli("--config", str(tmp_path / "config.toml"), "letter", "2026-00001", "--kind", "receipt")
    assert r.exit_code == 0, r.stderr
    assert (archive / "2026-00001-receipt.docx").is_file()
    assert not (elsewhere / "letters").exists()


def test_a_relative_folder_is_relative_to_the_config_file(cli, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    with (tmp_path / "config.toml").open("a", encoding="utf-8") as f:
        f.write('\n[letters]\nout_dir = "issued"\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    config = str(tmp_path / "config.toml")
    assert cli("--config", config, *REGISTER).exit_code == 0
    assert cli("--config", config, "letter", "2026-00001", "--kind", "receipt").exit_code == 0
    assert (tmp_path / "issued" / "2026-00001-receipt.docx").is_file()
