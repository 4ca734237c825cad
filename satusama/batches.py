"""A list cut into batches: `IN (…)` lists and bulk writes stay under SQLite's limit of bound parameters, and a
statement or a background task handles a bounded number of rows."""

from collections.abc import Iterator, Sequence


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
