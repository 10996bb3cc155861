"""`mockmirror serve` refuses, in plain words, what personal mode must not do."""

from __future__ import annotations

from typer.testing import CliRunner

from mockmirror.cli.main import app


def test_personal_mode_will_not_listen_on_every_address(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKMIRROR_WEB__DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--no-open"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "no login" in text and "--institution" in text and "--allow-remote" in text
    assert not (tmp_path / "data").exists()  # refused before anything was opened
