"""Streamed multipart upload with a size cap: the file part goes straight to its target file and
reading stops at the cap, so an oversized (or endless) upload never fills memory or the disk.

FastAPI's ``UploadFile`` would first spool the whole body to a temporary file and only then call
the route, which is what a 2 GB upload must not get to do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParser, parse_options_header

FIELD_LIMIT = 64_000  # bytes of a text field (the question)
HEADER_LIMIT = 8_000  # bytes of one part's headers


class UploadTooLarge(Exception):
    pass


@dataclass
class Upload:
    filename: str = ""
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


def multipart_boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise HTTPException(422, "Send the recording as multipart/form-data with a 'file' field.")
    return boundary


async def receive_upload(
    request: Request, boundary: bytes, target: Path, cap_bytes: float, file_field: str = "file",
    max_fields: int = 8,
) -> Upload:
    """Write the ``file_field`` part of the request's multipart body (``boundary`` from
    :func:`multipart_boundary`) to ``target``; collect the other (small) fields. Raises
    ``UploadTooLarge`` as soon as the file passes ``cap_bytes`` (nothing more is read),
    ``HTTPException(422)`` for a malformed body or a missing file."""
    upload = Upload()
    state: dict = {"name": None, "is_file": False, "headers": {}, "field": b"", "value": b"", "text": b""}
    out = open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")  # noqa: SIM115

    def header_bytes(more: int) -> None:
        state["header_bytes"] = state.get("header_bytes", 0) + more
        if state["header_bytes"] > HEADER_LIMIT:
            raise HTTPException(422, "a part of the upload form has too many headers")

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_bytes(end - start)
        state["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_bytes(end - start)
        state["value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["field"].lower()] = state["value"]
        state["field"] = state["value"] = b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(state["headers"].get(b"content-disposition", b""))
        state["name"] = options.get(b"name", b"").decode("utf-8", "replace")
        state["is_file"] = state["name"] == file_field
        if state["is_file"]:
            upload.filename = options.get(b"filename", b"").decode("utf-8", "replace")
            state["seen_file"] = True

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["is_file"]:
            upload.size += end - start
            if upload.size > cap_bytes:
                raise UploadTooLarge
            out.write(data[start:end])
        else:
            state["text"] += data[start:end]
            if len(state["text"]) > FIELD_LIMIT:
                raise HTTPException(422, f"the form field {state['name']!r} is too long")

    def on_part_end() -> None:
        if not state["is_file"] and state["name"]:
            if len(upload.fields) >= max_fields:
                raise HTTPException(422, f"the upload form has more than {max_fields} fields")
            upload.fields[state["name"]] = state["text"].decode("utf-8", "replace")
        state.update(name=None, is_file=False, headers={}, text=b"", header_bytes=0)

    parser = MultipartParser(boundary, {
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end,
    })
    try:
        async for chunk in request.stream():
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except (UploadTooLarge, HTTPException):
        raise
    except Exception as exc:  # python-multipart's parse errors
        raise HTTPException(422, f"the upload is not a well-formed multipart form ({exc})") from None
    finally:
        out.close()
    if not state.get("seen_file"):
        raise HTTPException(422, f"the form has no {file_field!r} file")
    return upload
