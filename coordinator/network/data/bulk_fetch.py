"""Millions of aggregate rows into numpy arrays, without a Python object per value.

On PostgreSQL the query runs inside ``COPY (…) TO STDOUT (FORMAT BINARY)`` and the
fixed-width binary rows are read with a single ``numpy.frombuffer``: for the 4 million ties
of a large municipality that is about a second instead of many seconds of row objects. On
other databases (SQLite) the rows come through SQLAlchemy as usual.

Only NOT NULL integer and date columns are supported (what the tie aggregates return).
"""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import Integer, Select, cast, func

from ...extensions import db

JULIAN_DAY_OF_ORDINAL_ZERO = 1721424.5  # julianday() of 0001-01-01 is 1721425.5, ordinal 1
PG_DATE_EPOCH_ORDINAL = 730120  # date(2000, 1, 1).toordinal(): PostgreSQL counts from there
PG_TYPES = {"int4": ">i4", "int8": ">i8", "date": ">i4"}
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def day_number(expression):
    """A date expression as the database should return it to :func:`fetch_columns`: on
    SQLite already as ``date.toordinal()`` (integer rows convert to numpy in one step), on
    PostgreSQL unchanged (binary COPY carries dates as day counts anyway)."""
    if db.engine.dialect.name == "sqlite":
        return cast(func.julianday(expression) - JULIAN_DAY_OF_ORDINAL_ZERO, Integer)
    return expression


def fetch_columns(
    stmt: Select, kinds: list[str], connection=None, dtype=np.int64
) -> list[np.ndarray]:
    """Run ``stmt`` (on ``connection``, by default the session's) and return one array of
    ``dtype`` per column (``np.int32`` halves a large read where the values fit).
    ``kinds`` names each column's SQL type: ``int4`` (integer), ``int8`` (bigint, e.g.
    ``count(*)``) or ``date`` (a :func:`day_number` column, returned as
    ``date.toordinal()`` numbers)."""
    connection = connection if connection is not None else db.session.connection()
    if connection.dialect.name == "postgresql":
        return _copy_binary(connection, stmt, kinds, dtype)
    rows = _plain_rows(connection, stmt)
    values = np.array(rows, dtype=np.int64).reshape(-1, len(kinds))
    del rows
    return [values[:, i].astype(dtype) for i in range(len(kinds))]


def _plain_rows(connection, stmt: Select) -> list[tuple]:
    """Tuples straight from the driver's cursor: no row objects, no result processing."""
    compiled = stmt.compile(dialect=connection.dialect,
                            compile_kwargs={"render_postcompile": True})
    params = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in compiled.construct_params().items()
    }
    if compiled.positional:
        arguments = tuple(params[name] for name in compiled.positiontup)
    else:
        arguments = params
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(compiled.string, arguments)
        return cursor.fetchall()
    finally:
        cursor.close()


def _copy_binary(connection, stmt: Select, kinds: list[str], dtype) -> list[np.ndarray]:
    """COPY's binary rows, parsed while they arrive: the rows are fixed-width (NOT NULL
    integers and dates), so every complete row in the buffer can be turned into column values
    at once. Holding the whole COPY output first (5.6 million tie rows at L: 257 MB, twice
    while joining the blocks) made it the queue worker's largest allocation."""
    compiled = stmt.compile(dialect=connection.dialect,
                            compile_kwargs={"render_postcompile": True})
    sql = f"COPY ({compiled}) TO STDOUT (FORMAT BINARY)"
    raw = connection.connection.driver_connection  # psycopg.Connection of this transaction
    parser = _BinaryRows(kinds, dtype)
    with raw.cursor() as cursor, cursor.copy(sql, compiled.params) as copy:
        for block in copy:
            parser.feed(block)
    return parser.columns()


class _BinaryRows:
    """PostgreSQL's binary COPY format, fed block by block: a header, fixed-width rows, a
    two-byte trailer."""

    # Parse once this many bytes of whole rows have arrived: each column's part is then
    # above glibc's mmap threshold (128 KiB), so it goes back to the system as soon as the
    # column is joined; 1 MiB steps left parts of 88 KiB in the heap (+0.1 GB at L).
    CHUNK = 8 << 20

    def __init__(self, kinds: list[str], dtype=np.int64):
        self.kinds = kinds
        self.dtype = dtype
        fields = [("count", ">i2")]
        for i, kind in enumerate(kinds):
            fields += [(f"len{i}", ">i4"), (f"v{i}", PG_TYPES[kind])]
        self.row = np.dtype(fields)
        self.buffer = bytearray()
        self.header_seen = False
        self.parts: list[list[np.ndarray]] = [[] for _ in kinds]

    def feed(self, block) -> None:
        self.buffer += block
        if not self.header_seen and not self._header():
            return
        if len(self.buffer) >= self.CHUNK:
            self._parse_rows(len(self.buffer) // self.row.itemsize)

    def columns(self) -> list[np.ndarray]:
        if not self.header_seen and not self._header():
            raise ValueError("unexpected COPY format")
        if bytes(self.buffer[-2:]) != b"\xff\xff":
            raise ValueError("COPY output without its trailer")
        del self.buffer[-2:]
        if len(self.buffer) % self.row.itemsize:
            raise ValueError("unexpected COPY row layout")
        self._parse_rows(len(self.buffer) // self.row.itemsize)
        columns = []
        for i, part in enumerate(self.parts):  # each column's blocks freed once joined
            columns.append(np.concatenate(part) if part else np.zeros(0, dtype=self.dtype))
            self.parts[i] = []
        return columns

    def _header(self) -> bool:
        if len(self.buffer) < 19:
            return False
        if not bytes(self.buffer[:11]) == COPY_SIGNATURE:
            raise ValueError("unexpected COPY format")
        extension = int.from_bytes(self.buffer[15:19], "big")
        if len(self.buffer) < 19 + extension:
            return False
        del self.buffer[:19 + extension]
        self.header_seen = True
        return True

    def _parse_rows(self, count: int) -> None:
        if count == 0:
            return
        # A view of the buffer (no copy); it must be gone before the buffer shrinks.
        rows = np.frombuffer(self.buffer, dtype=self.row, count=count)
        if (rows["count"] != len(self.kinds)).any():
            raise ValueError("unexpected COPY row layout")
        for i, kind in enumerate(self.kinds):
            if (rows[f"len{i}"] != np.dtype(PG_TYPES[kind]).itemsize).any():
                raise ValueError("NULL or unexpected width in COPY column")
            values = rows[f"v{i}"].astype(self.dtype)
            if kind == "date":
                values += PG_DATE_EPOCH_ORDINAL
            self.parts[i].append(values)
        del rows
        del self.buffer[:count * self.row.itemsize]
