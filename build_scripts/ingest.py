"""Reading captures: find the files, read their bytes, decode them to normalised text.

Decoding is a registry keyed by file suffix, so readers for other encodings and
formats (HTML pages, Markdown with front matter) plug in without touching the rest.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import CaptureError, DecodeError, EmptyCaptureError
from .records import Capture, SourceFile

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class IngestOptions:
    suffixes: tuple[str, ...] = (".txt",)
    max_bytes: int = 5_000_000


def discover(seeds: Path, options: IngestOptions) -> list[Path]:
    """Every capture under ``seeds``, subfolders included, in a stable order."""
    files = [p for p in seeds.rglob("*") if p.is_file() and p.suffix.lower() in options.suffixes
             and not any(part.startswith(".") for part in p.relative_to(seeds).parts)]
    return sorted(files, key=lambda p: p.relative_to(seeds).as_posix())


def read_source(path: Path, seeds: Path, options: IngestOptions) -> SourceFile:
    rel = path.relative_to(seeds).as_posix()
    size = path.stat().st_size
    if size > options.max_bytes:
        raise CaptureError(f"larger than the {options.max_bytes:,}-byte limit ({size:,} bytes)", path=rel)
    data = path.read_bytes()
    return SourceFile(rel, data, hashlib.sha256(data).hexdigest(), len(data))


def decode_utf8(data: bytes, rel: str) -> tuple[str, str]:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid UTF-8 at byte {exc.start}", path=rel) from None


DECODERS: dict[str, Callable[[bytes, str], tuple[str, str]]] = {".txt": decode_utf8}


def normalise(text: str) -> str:
    """Unicode NFC, one kind of line ending, no invisible characters, no trailing blanks."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() if line.strip() else "" for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def decode(source: SourceFile) -> Capture:
    suffix = Path(source.rel).suffix.lower()
    decoder = DECODERS.get(suffix)
    if decoder is None:
        raise CaptureError(f"no reader for '{suffix}' files", path=source.rel)
    if b"\x00" in source.data[:4096] and not source.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("binary file (NUL bytes)", path=source.rel)
    text, encoding = decoder(source.data, source.rel)
    if not text.strip():
        raise EmptyCaptureError("empty or blank file", path=source.rel)
    return Capture(source.rel, source.sha256, source.size, encoding, normalise(text))
