"""Unsaved editor text, analyzed in place of the files on disk (the language server's seam).

An overlay maps project-relative POSIX paths to the text an editor holds for them. The project reads
an overlaid file's bytes from here instead of from disk (every read goes through `Project`), so the
same decoding, limits and rules apply; what exists, and every file that is not overlaid, still comes
from disk. The text is encoded as the saved file would be: a Python file in the encoding its PEP 263
cookie names (UTF-8 when it has none, or when the text cannot be encoded in it), anything else as
UTF-8 (a leading U+FEFF becomes the UTF-8 BOM).
"""

from __future__ import annotations

import hashlib
import io
import tokenize
from typing import Mapping


def encode_overlay(rel: str, text: str) -> bytes:
    """The bytes an editor would save for `text` at `rel`."""
    data = text.encode("utf-8", "surrogateescape")
    if not rel.endswith(".py"):
        return data
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return data  # a bad cookie: the decoder reports it, as it would for the file on disk
    if encoding in ("utf-8", "utf-8-sig"):
        return data
    try:
        return text.encode(encoding)
    except (UnicodeError, LookupError):
        return data  # the decoder reports the mismatch (LE001), as it would on disk


def overlay_digest(overlay: Mapping[str, bytes]) -> str:
    """A digest of every overlaid file's path and content, for cache keys."""
    h = hashlib.sha1()
    for rel, data in sorted(overlay.items()):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha1(data).digest())
    return h.hexdigest()
