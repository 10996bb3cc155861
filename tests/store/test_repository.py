from __future__ import annotations

import json
import zipfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from mockmirror.store import AnswerStatus, Base, open_database
from mockmirror.store.repository import NotFound


def _recording(store, session_id: str, answer_id: str, payload: bytes = b"\x1a\x45\xdf\xa3media") -> str:
    path = store.files.answer_dir(session_id, answer_id) / "answer.mkv"
    path.write_bytes(payload)
    return store.files.relative(path)


def test_migrations_create_the_schema_the_models_describe(store):
    engine = store.db.engine
    assert {"interview_sessions", "answers", "user_settings", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_reopening_an_existing_database_keeps_the_data(store, store_settings):
    record = store.create_session(role="software", camera=False)
    again = open_database(store_settings)  # runs the migrations again: a no-op at head
    try:
        with again.sessions() as s:
            from mockmirror.store import SessionRecord

            assert s.get(SessionRecord, record.id).camera is False
    finally:
        again.close()


def test_session_answers_and_report_json_round_trip(store):
    session = store.create_session(role="data", job_description="SQL and Python", difficulty=3)
    answer = store.add_answer(session.id, question="Tell me about yourself.")
    second = store.add_answer(session.id, question="Why this role?")
    report = {"summary": {"words_per_minute": 151.5, "filler_count": 2}, "events": [{"start": 0.4}]}
    store.update_answer(answer.id, status=AnswerStatus.DONE, report=report, measures=report["summary"])
    loaded = store.get_session(session.id)
    assert [a.position for a in loaded.answers] == [0, 1]
    assert loaded.answers[0].report == report
    assert loaded.answers[1].id == second.id
    assert loaded.difficulty == 3
    assert store.get_answer(answer.id).measures["words_per_minute"] == 151.5


def test_deleting_a_session_deletes_its_answers_and_recordings(store):
    keep = store.create_session()
    gone = store.create_session()
    kept_answer = store.add_answer(keep.id)
    gone_answer = store.add_answer(gone.id)
    kept_path = _recording(store, keep.id, kept_answer.id)
    gone_path = _recording(store, gone.id, gone_answer.id)
    store.update_answer(gone_answer.id, recording_path=gone_path)
    store.delete_session(gone.id)
    assert not store.files.absolute(gone_path).exists()
    assert not store.files.session_dir(gone.id).exists()
    assert store.files.absolute(kept_path).exists()
    with pytest.raises(NotFound):
        store.get_answer(gone_answer.id)
    assert [s.id for s in store.list_sessions("local")] == [keep.id]


def test_discarding_a_recording_keeps_the_answer(store):
    session = store.create_session(keep_recording=False)
    answer = store.add_answer(session.id)
    rel = _recording(store, session.id, answer.id)
    store.update_answer(answer.id, recording_path=rel)
    store.discard_recording(answer.id)
    assert store.get_answer(answer.id).recording_path is None
    assert not store.files.absolute(rel).exists()


def test_export_zip_holds_all_data_and_kept_recordings(store, tmp_path):
    session = store.create_session(role="sales", keep_recording=True)
    answer = store.add_answer(session.id, question="Sell me this pen.", transcript="It writes well.")
    rel = _recording(store, session.id, answer.id, b"RIFFfake-but-bytes")
    store.update_answer(answer.id, recording_path=rel)
    store.put_setting("consent_defaults", {"camera": False})
    target = store.export_zip(tmp_path / "export.zip", "local")
    assert target.stat().st_mode & 0o777 == 0o600  # written to disk, for this user only
    archive = zipfile.ZipFile(target)
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "mockmirror-export/1"
    assert data["settings"] == {"consent_defaults": {"camera": False}}
    [exported] = data["sessions"]
    assert exported["role"] == "sales" and exported["keep_recording"] is True
    assert exported["answers"][0]["transcript"] == "It writes well."
    assert archive.read(rel) == b"RIFFfake-but-bytes"


def test_delete_all_my_data_leaves_nothing(store):
    for _ in range(2):
        session = store.create_session()
        answer = store.add_answer(session.id)
        store.update_answer(answer.id, recording_path=_recording(store, session.id, answer.id))
    store.put_setting("calibration", {"gaze_offset": [1.0, 2.0]})
    store.delete_all("local")
    assert store.list_sessions("local") == []
    assert store.get_setting("calibration") is None
    assert not store.files.recordings.exists()
    assert store.export("local")["sessions"] == []


def test_every_read_is_one_owners(store):
    mine = store.create_session(owner_id="a" * 32, job_title="mine")
    theirs = store.create_session(owner_id="b" * 32, job_title="theirs")
    answer = store.add_answer(theirs.id, transcript="private")
    store.put_setting("calibration", {"who": "a"}, owner_id="a" * 32)
    store.put_setting("calibration", {"who": "local"})
    assert [s.id for s in store.list_sessions("a" * 32)] == [mine.id]
    with pytest.raises(NotFound):
        store.get_session(theirs.id, owner_id="a" * 32)
    with pytest.raises(NotFound):
        store.get_answer(answer.id, owner_id="a" * 32)
    assert store.get_answer(answer.id, owner_id="b" * 32).transcript == "private"
    assert store.get_setting("calibration", "a" * 32) == {"who": "a"}
    exported = store.export("a" * 32)
    assert [s["id"] for s in exported["sessions"]] == [mine.id]
    assert exported["settings"] == {"calibration": {"who": "a"}}
    assert store.export("local")["settings"] == {"calibration": {"who": "local"}}
    store.delete_all("a" * 32)  # one person's "delete all my data" leaves the others' alone
    assert store.get_session(theirs.id).answers[0].transcript == "private"
    assert store.get_setting("calibration") == {"who": "local"}
    assert store.get_setting("calibration", "a" * 32) is None


def test_settings_are_updated_in_place(store):
    store.put_setting("consent_defaults", {"camera": True})
    store.put_setting("consent_defaults", {"camera": False, "microphone": True})
    assert store.get_setting("consent_defaults") == {"camera": False, "microphone": True}


def test_file_paths_cannot_leave_the_data_dir(store):
    with pytest.raises(ValueError):
        store.files.session_dir("../etc")
    assert store.files.absolute("../../etc/passwd") is None


def test_migrations_downgrade_and_upgrade_again(store):
    from alembic import command

    from mockmirror.store.db import alembic_config, upgrade

    engine = store.db.engine
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "dialogue_events" not in {c["name"] for c in inspect(engine).get_columns("interview_sessions")}
    upgrade(engine)
    record = store.create_session(dialogue_events=[{"event": "start"}])
    assert store.get_session(record.id).dialogue_events == [{"event": "start"}]
