"""Uploads through the API with real analysis of a GRID clip; bad input gets a clear 4xx."""

from __future__ import annotations

import io
import zipfile

import pytest

from mockmirror.speech.wer import word_errors

from .helpers import interview, wait_for_answer

CLIP = "grid_av/sbwe5n.mpg"  # "set blue with e five now", read right by Whisper base


@pytest.fixture(scope="module")
def analysed(client, fixtures_dir):
    session = interview(client, seed=4)
    with open(fixtures_dir / CLIP, "rb") as handle:
        response = client.post(f"/api/sessions/{session['id']}/answers",
                               files={"file": ("sbwe5n.mpg", handle, "video/mpeg")})
    assert response.status_code == 202, response.text
    answer = wait_for_answer(client, response.json()["id"])
    return session, answer


def test_an_uploaded_answer_is_analysed_in_the_background(client, analysed):
    session, answer = analysed
    assert answer["status"] == "done", answer["error"]
    assert answer["question"] == session["prompt"]["text"]
    assert word_errors("set blue with e five now", answer["transcript"]).wer <= 0.34
    assert answer["measures"]["face_visible_ratio"] > 0.9
    report = client.get(answer["report_url"]).json()
    assert report["input"]["has_video"] and report["question"] == answer["question"]
    html = client.get(answer["report_html_url"])
    assert html.status_code == 200 and "<html" in html.text.lower()
    assert answer["recording_url"] in html.text  # kept recording: the report replays it
    assert client.get(answer["recording_url"]).status_code == 200


def test_the_calibration_steers_eye_contact_in_the_full_analysis(client, analysed, fixtures_dir):
    # Someone whose camera sits 35 degrees to the side: looking straight ahead (as the GRID speaker
    # does) is then not eye contact. Without a calibration the same clip reads as high contact.
    _, uncalibrated = analysed
    plain = client.get(uncalibrated["report_url"]).json()["face"]["summary"]
    assert plain["eye_contact_calibrated"] is False and plain["eye_contact_ratio"] > 0.8
    session = interview(client, seed=5)
    camera_aside = [(35.0 + 0.2 * (i % 3), 0.0) for i in range(8)]
    client.put(f"/api/sessions/{session['id']}/calibration", json={"camera": camera_aside})
    with open(fixtures_dir / CLIP, "rb") as handle:
        response = client.post(f"/api/sessions/{session['id']}/answers",
                               files={"file": ("sbwe5n.mpg", handle, "video/mpeg")})
    answer = wait_for_answer(client, response.json()["id"])
    assert answer["status"] == "done", answer["error"]
    summary = client.get(answer["report_url"]).json()["face"]["summary"]
    assert summary["eye_contact_calibrated"] is True
    assert summary["eye_contact_ratio"] < 0.2


def test_the_transcript_moves_the_dialogue_on(client, analysed):
    session, answer = analysed
    after = client.get(f"/api/sessions/{session['id']}").json()
    assert after["prompt"]["number"] == 2, "the next question follows the analysed answer"
    assert answer["dialogue_feedback"]["next_prompt"]["number"] == 2


def test_session_report_and_dashboard(client, analysed):
    session, answer = analysed
    report = client.get(f"/api/sessions/{session['id']}/report").json()
    [row] = report["answers"]
    assert row["id"] == answer["id"] and row["words"] and row["feedback"] is not None
    # A GRID command ("set blue with e five now") is not an answer to an interview question: it is
    # listed with its verdict and leaves the averages and the dashboard's trends alone.
    assert row["verdict"] != "answered" and row["counts"] is False and row["verdict_headline"]
    assert report["figures"]["counted"] == 0 and report["averages"]["words_per_minute"] is None
    html = client.get(report["session_report_html_url"])
    assert html.status_code == 200 and f"/api/answers/{answer['id']}/report.html" in html.text
    board = client.get("/api/dashboard").json()
    assert all(p["session_id"] != session["id"] for p in board["sessions"])
    assert board["next_practice"]


def test_a_non_media_upload_is_refused_clearly(client):
    sid = interview(client)["id"]
    response = client.post(f"/api/sessions/{sid}/answers",
                           files={"file": ("notes.txt", b"these are my notes, not a recording\n" * 20)})
    assert response.status_code == 415
    assert "notes.txt is not an audio or video recording" in response.json()["detail"]
    assert client.get(f"/api/sessions/{sid}").json()["answers"] == []


def test_an_upload_over_the_cap_gets_413_with_the_limit(client):
    sid = interview(client)["id"]  # the test app's cap is 1 MB
    response = client.post(f"/api/sessions/{sid}/answers",
                           files={"file": ("long.webm", b"\x1a\x45\xdf\xa3" + b"\0" * 2_000_000)})
    assert response.status_code == 413
    assert "2.0 MB" in response.json()["detail"] and "limit is 1.0 MB" in response.json()["detail"]


def test_a_chunked_upload_over_the_cap_is_cut_off_with_nothing_kept(client):
    sid = interview(client)["id"]  # no Content-Length: the cap is found while streaming

    def body():
        yield (b'--cut\r\nContent-Disposition: form-data; name="file"; filename="long.webm"\r\n'
               b"Content-Type: video/webm\r\n\r\n")
        for _ in range(3):
            yield bytes(500_000)
        yield b"\r\n--cut--\r\n"

    response = client.post(f"/api/sessions/{sid}/answers", content=body(),
                           headers={"Content-Type": "multipart/form-data; boundary=cut"})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The recording is too large; the limit is 1.0 MB.")
    assert client.get(f"/api/sessions/{sid}").json()["answers"] == []
    folder = client.app.state.services.store.files.session_dir(sid)
    assert not folder.exists(), "nothing of the upload is left on disk"


def test_an_upload_that_is_not_a_form_is_refused(client):
    sid = interview(client)["id"]
    response = client.post(f"/api/sessions/{sid}/answers", content=b"raw bytes",
                           headers={"Content-Type": "video/webm"})
    assert response.status_code == 422 and "multipart/form-data" in response.json()["detail"]
    assert client.get(f"/api/sessions/{sid}").json()["answers"] == []


def test_export_then_delete_all_my_data(client, analysed):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/data/export").content))
    names = archive.namelist()
    assert "data.json" in names and any(n.endswith("replay.webm") for n in names)
    assert client.delete("/api/data").status_code == 200
    assert client.get("/api/sessions").json() == []
    assert not client.app.state.services.store.files.recordings.exists()


def test_the_next_question_comes_before_the_face_and_the_bar_never_reads_done_early(
        client, fixtures_dir):
    """Order of what the server stores for one interview answer: the transcript and the
    interviewer's next turn first (speech and content), then the report with the face, then
    "done"; until then the progress stays under 100 %."""
    services = client.app.state.services
    writes: list[dict] = []
    store_update, store_finish = services.store.update_answer, services.store.finish_job

    def recording_update(answer_id, **fields):  # records the order; the real store still writes
        writes.append(dict(fields))
        return store_update(answer_id, **fields)

    def recording_finish(job_id, worker, **fields):  # the report and "done", in one transaction
        finished = store_finish(job_id, worker, **fields)
        if finished:
            writes.append({**fields, "status": "done"})
        return finished

    session = interview(client, seed=6)
    services.store.update_answer, services.store.finish_job = recording_update, recording_finish
    try:
        with open(fixtures_dir / CLIP, "rb") as handle:
            response = client.post(f"/api/sessions/{session['id']}/answers",
                                   files={"file": ("sbwe5n.mpg", handle, "video/mpeg")})
        answer = wait_for_answer(client, response.json()["id"])
    finally:
        del services.store.update_answer, services.store.finish_job
    assert answer["status"] == "done", answer["error"]
    order = [next(iter(k for k in ("dialogue_feedback", "report", "status") if k in w), None)
             for w in writes]
    turn, report = order.index("dialogue_feedback"), order.index("report")
    assert turn < report, "the next question is asked before the face analysis ends"
    assert "transcript" in writes[turn - 1] and writes[turn - 1]["transcript"]
    done = next(i for i, w in enumerate(writes) if w.get("status") == "done")
    assert done >= report
    assert all(w["progress"] < 1.0 for w in writes[:done] if "progress" in w)
    assert answer["dialogue_feedback"]["next_prompt"]["number"] == 2
    assert answer["measures"]["face_visible_ratio"] > 0.9  # the full measures replaced the quick
