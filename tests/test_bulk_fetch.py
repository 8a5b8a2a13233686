"""PostgreSQL's binary COPY output parsed block by block (network/data/bulk_fetch.py): the
same columns whatever sizes the blocks arrive in, and clear errors for what it cannot read."""

from __future__ import annotations

import random
import struct

import numpy as np
import pytest

from coordinator.network.data.bulk_fetch import (
    COPY_SIGNATURE,
    PG_DATE_EPOCH_ORDINAL,
    _BinaryRows,
)

KINDS = ["int4", "int4", "int8", "date"]


def copy_output(rows: list[tuple], extension: bytes = b"") -> bytes:
    """What ``COPY … TO STDOUT (FORMAT BINARY)`` sends for rows of KINDS."""
    body = b"".join(
        struct.pack(">h", 4) + struct.pack(">ii", 4, a) + struct.pack(">ii", 4, b)
        + struct.pack(">iq", 8, n) + struct.pack(">ii", 4, day)
        for a, b, n, day in rows)
    header = COPY_SIGNATURE + struct.pack(">ii", 0, len(extension)) + extension
    return header + body + struct.pack(">h", -1)


def parse(data: bytes, blocks: list[int]) -> list[np.ndarray]:
    parser = _BinaryRows(KINDS)
    start = 0
    for size in blocks:
        parser.feed(data[start:start + size])
        start += size
    parser.feed(data[start:])
    return parser.columns()


@pytest.mark.parametrize("seed", range(5))
def test_columns_are_the_same_whatever_the_blocks(seed, monkeypatch):
    monkeypatch.setattr(_BinaryRows, "CHUNK", 64)  # parse often, mid-row boundaries included
    rng = random.Random(seed)
    rows = [(rng.randrange(1, 2**31), rng.randrange(1, 2**31), rng.randrange(2**40),
             rng.randrange(-5000, 9000)) for _ in range(rng.randrange(0, 300))]
    data = copy_output(rows, extension=b"x" * rng.randrange(0, 5))
    blocks = [rng.randrange(1, 60) for _ in range(rng.randrange(0, 200))]
    a, b, n, day = parse(data, blocks)
    assert a.tolist() == [r[0] for r in rows] and b.tolist() == [r[1] for r in rows]
    assert n.tolist() == [r[2] for r in rows]
    assert day.tolist() == [r[3] + PG_DATE_EPOCH_ORDINAL for r in rows]
    assert all(column.dtype == np.int64 for column in (a, b, n, day))


@pytest.mark.parametrize("broken", ["signature", "trailer", "row", "null"])
def test_what_cannot_be_read_is_refused(broken):
    data = copy_output([(1, 2, 3, 4), (5, 6, 7, 8)])
    if broken == "signature":
        data = b"PGCOPZ" + data[6:]
    elif broken == "trailer":
        data = data[:-2]
    elif broken == "row":
        data = data[:-5] + data[-2:]  # a row cut short
    else:  # a NULL date: length -1 and no value
        data = data[:-2 - 8] + struct.pack(">i", -1) + data[-2:]
    with pytest.raises(ValueError):
        parse(data, [7, 13])
