"""The pure analysis core: graph figures on plain data, no Flask and no database.

Everything here takes a ``CompactGraph`` (``compact.py``) or plain records and returns plain
values, so it can be imported, tested and benchmarked on its own.
"""
