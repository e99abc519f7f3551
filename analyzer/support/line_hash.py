"""GitHub code scanning's `primaryLocationLineHash`, computed as the upload action computes it.

The engine hashes the lines of findings when it builds the Report; the SARIF output only copies them.
"""

from __future__ import annotations

import array
import sys

# -- primaryLocationLineHash ----------------------------------------------------------------------
#
# A port of `hash` in github/codeql-action src/fingerprints.ts. Per line: a rolling hash (base 37,
# signed 64-bit arithmetic that wraps) over the next 100 characters, counted in UTF-16 code units,
# spaces and tabs skipped, CR and CRLF read as LF, one 65535 marking the end of the file and zeros
# after it; the value is the unsigned hex of the hash, then `:n` for its n-th occurrence in the file.

_BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, _BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR, _EOF = 9, 32, 10, 13, 65535


def line_hashes(text: str) -> dict[int, str]:
    """{1-based line number: primaryLocationLineHash} for every line of `text`, as the upload action
    computes it (it reads the file as UTF-8 and walks its UTF-16 code units).

    The action's `processCharacter` / `outputHash` / `updateHash`, inlined for speed (about 1 s per
    MB); the names are theirs."""
    out: dict[int, str] = {}
    window = [0] * _BLOCK_SIZE
    line_numbers = [-1] * _BLOCK_SIZE
    hash_counts: dict[str, int] = {}
    hash_raw = 0
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False
    units = _utf16_units(text)
    units.append(_EOF)
    for current in units:
        # processCharacter
        if current == _SPACE or current == _TAB or (prev_cr and current == _LF):
            prev_cr = False
            continue
        if current == _CR:
            current = _LF
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[index] != -1:  # outputHash
            value = format(hash_raw, "x")
            count = hash_counts[value] = hash_counts.get(value, 0) + 1
            out[line_numbers[index]] = f"{value}:{count}"
            line_numbers[index] = -1
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if current == _LF:
            line_start = True
        # updateHash
        hash_raw = (_MOD * hash_raw + current - _FIRST_MOD * window[index]) & _MASK
        window[index] = current
        index = (index + 1) % _BLOCK_SIZE
    # Flush the remaining lines.
    for _ in range(_BLOCK_SIZE):
        if line_numbers[index] != -1:
            value = format(hash_raw, "x")
            count = hash_counts[value] = hash_counts.get(value, 0) + 1
            out[line_numbers[index]] = f"{value}:{count}"
            line_numbers[index] = -1
        hash_raw = (_MOD * hash_raw - _FIRST_MOD * window[index]) & _MASK
        window[index] = 0
        index = (index + 1) % _BLOCK_SIZE
    return out


def _utf16_units(text: str) -> "array.array[int]":
    units = array.array("H", text.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":
        units.byteswap()
    return units


def decode_like_node(data: bytes) -> str:
    """What Node's `fs.createReadStream(path, "utf8")` yields: UTF-8 with invalid bytes replaced by
    U+FFFD and a byte-order mark kept (as U+FEFF)."""
    return data.decode("utf-8", errors="replace")
