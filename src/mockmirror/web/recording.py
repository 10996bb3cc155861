"""A live answer on disk as it streams in, so a dropped socket loses nothing already received.

Frames go to ``frames.bin`` (per frame: float64 time, uint32 length, JPEG bytes) and audio to
``audio.pcm`` (16 kHz mono int16); ``finish()`` muxes them into one file the analysis reads:
Matroska with the JPEGs as an MJPEG track (no re-encoding) and PCM audio, or a WAV when no
frames came (camera off or denied).
"""

from __future__ import annotations

import struct
import threading
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from mockmirror.store.db import private_dir

_HEADER = struct.Struct("<dI")


class LiveRecording:
    def __init__(self, folder: Path, sample_rate: int = 16_000) -> None:
        self.folder = folder
        self.sample_rate = sample_rate
        private_dir(folder)  # 0700: the recording is nobody else's to read
        self._frames = open(folder / "frames.bin", "ab")  # noqa: SIM115 (open for the whole answer)
        self._audio = open(folder / "audio.pcm", "ab")  # noqa: SIM115
        self._lock = threading.Lock()
        self.frame_count = 0
        self.audio_samples = 0
        self.frame_size: tuple[int, int] | None = None
        self.last_frame_t = 0.0
        self.frames_dropped = 0  # frames that were not a whole JPEG of the answer's size

    def add_frame(self, t: float, jpeg: bytes) -> None:
        with self._lock:
            self._frames.write(_HEADER.pack(t, len(jpeg)))
            self._frames.write(jpeg)
            self._frames.flush()
            self.frame_count += 1
            self.last_frame_t = max(self.last_frame_t, t)

    def add_audio(self, pcm16: bytes) -> None:
        with self._lock:
            self._audio.write(pcm16)
            self._audio.flush()
            self.audio_samples += len(pcm16) // 2

    @property
    def duration_s(self) -> float:
        return max(self.audio_samples / self.sample_rate, self.last_frame_t)

    def close(self) -> None:
        with self._lock:
            for handle in (self._frames, self._audio):
                if not handle.closed:
                    handle.close()

    def _read_frames(self) -> list[tuple[float, bytes]]:
        data = (self.folder / "frames.bin").read_bytes()
        frames, offset = [], 0
        while offset + _HEADER.size <= len(data):
            t, size = _HEADER.unpack_from(data, offset)
            offset += _HEADER.size
            if offset + size > len(data):  # a frame cut off by a crash: drop it
                break
            frames.append((t, data[offset : offset + size]))
            offset += size
        return frames

    def finish(self) -> Path | None:
        """Write the answer file; None when nothing at all was received."""
        self.close()
        pcm = (self.folder / "audio.pcm").read_bytes()
        pcm = pcm[: len(pcm) // 2 * 2]
        frames = self._read_frames()
        if not frames and not pcm:
            return None
        if not frames:
            target = self.folder / "answer.wav"
            _write_wav(target, pcm, self.sample_rate)
        else:
            good = readable_frames(frames)
            self.frames_dropped = len(frames) - len(good)
            target = self.folder / "answer.mkv"
            if good:
                _mux(target, good, pcm, self.sample_rate)
            else:  # no frame could be read: the answer is its sound
                target = self.folder / "answer.wav"
                _write_wav(target, pcm, self.sample_rate)
        for name in ("frames.bin", "audio.pcm"):
            (self.folder / name).unlink(missing_ok=True)
        return target


def _write_wav(target: Path, pcm: bytes, sample_rate: int) -> None:
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm)


def readable_frames(frames: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
    """The frames that decode as JPEG at the size most frames have: a broken or odd-sized frame
    would stop the video from being read back, so it is left out (the answer keeps the rest)."""
    import cv2

    sized: list[tuple[float, bytes, tuple[int, int]]] = []
    for t, jpeg in frames:
        if jpeg[:2] != b"\xff\xd8":
            continue
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        if image is None or image.ndim != 3:
            continue
        sized.append((t, jpeg, (image.shape[1], image.shape[0])))
    if not sized:
        return []
    sizes = [size for _, _, size in sized]
    common = max(set(sizes), key=sizes.count)
    return [(t, jpeg) for t, jpeg, size in sized if size == common]


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    import cv2

    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
    if image is None:
        raise ValueError("not a JPEG frame")
    full = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if full is None:
        raise ValueError("not a JPEG frame")
    return full.shape[1], full.shape[0]


def _mux(target: Path, frames: list[tuple[float, bytes]], pcm: bytes, sample_rate: int) -> None:
    width, height = _jpeg_size(frames[0][1])
    with av.open(str(target), mode="w", format="matroska") as container:
        video = container.add_stream("mjpeg", rate=10)
        video.width, video.height = width, height
        video.pix_fmt = "yuvj420p"
        video.time_base = Fraction(1, 1000)
        audio = None
        if pcm:
            audio = container.add_stream("pcm_s16le", rate=sample_rate)
            audio.layout = "mono"
        last_pts = -1
        for t, jpeg in sorted(frames, key=lambda f: f[0]):
            pts = max(round(t * 1000), last_pts + 1)  # strictly increasing
            last_pts = pts
            packet = av.Packet(jpeg)
            packet.stream = video
            packet.pts = packet.dts = pts
            packet.time_base = video.time_base
            container.mux(packet)
        if audio is not None:
            samples = np.frombuffer(pcm, dtype="<i2")
            step = sample_rate // 10
            for start in range(0, len(samples), step):
                chunk = samples[start : start + step].reshape(1, -1)
                frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
                frame.sample_rate = sample_rate
                frame.pts = start
                frame.time_base = Fraction(1, sample_rate)
                for packet in audio.encode(frame):
                    container.mux(packet)
            for packet in audio.encode(None):
                container.mux(packet)


def browser_copy(source: Path, target: Path, fps: int = 10) -> Path:
    """A WebM (VP8 + Opus) copy of a live answer for replay: browsers do not play MJPEG/Matroska."""
    with av.open(str(source)) as inp, av.open(str(target), mode="w", format="webm") as out:
        vin = inp.streams.video[0] if inp.streams.video else None
        ain = inp.streams.audio[0] if inp.streams.audio else None
        vout = aout = resampler = None
        if vin is not None:
            vout = out.add_stream("libvpx", rate=fps)
            vout.width, vout.height = vin.codec_context.width, vin.codec_context.height
            vout.pix_fmt = "yuv420p"
            vout.time_base = Fraction(1, 1000)
            vout.options = {"deadline": "realtime", "cpu-used": "8", "b": "600k"}
        if ain is not None:
            aout = out.add_stream("libopus", rate=48_000)
            aout.layout = "mono"
            resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        streams = [s for s in (vin, ain) if s is not None]
        for packet in inp.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame) and vout is not None:
                    image = frame.reformat(format="yuv420p")
                    image.pts = round(float(frame.time) * 1000) if frame.time is not None else None
                    image.time_base = Fraction(1, 1000)
                    for p in vout.encode(image):
                        out.mux(p)
                elif isinstance(frame, av.AudioFrame) and aout is not None and resampler is not None:
                    frame.pts = None
                    for chunk in resampler.resample(frame):
                        for p in aout.encode(chunk):
                            out.mux(p)
        for stream in (vout, aout):
            if stream is not None:
                for p in stream.encode(None):
                    out.mux(p)
    return target
