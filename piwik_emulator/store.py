"""Durable, thread-safe document store of the emulator's account state (SQLite, one file).

Every request runs inside one `Store.transaction()`: the store lock serialises requests, so each
request sees and leaves a consistent state, and a committed write survives a restart of the process.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

JSONDoc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    kind   TEXT NOT NULL,
    key    TEXT NOT NULL,
    parent TEXT,
    seq    INTEGER NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS documents_parent ON documents (kind, parent);
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Tx:
    """The operations allowed inside one transaction; documents are JSON objects."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, kind: str, key: str) -> JSONDoc | None:
        row = self._conn.execute("SELECT body FROM documents WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        return None if row is None else _load(row[0])

    def put(self, kind: str, key: str, body: JSONDoc, parent: str | None = None) -> None:
        """Insert or replace; an existing document keeps its insertion order (seq)."""
        row = self._conn.execute("SELECT seq FROM documents WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        seq = row[0] if row is not None else self.next_seq("documents")
        self._conn.execute(
            "INSERT OR REPLACE INTO documents (kind, key, parent, seq, body) VALUES (?, ?, ?, ?, ?)",
            (kind, key, parent, seq, json.dumps(body, separators=(",", ":"))),
        )

    def delete(self, kind: str, key: str) -> bool:
        cur = self._conn.execute("DELETE FROM documents WHERE kind = ? AND key = ?", (kind, key))
        return cur.rowcount > 0

    def delete_children(self, kind: str, parent: str) -> int:
        cur = self._conn.execute("DELETE FROM documents WHERE kind = ? AND parent = ?", (kind, parent))
        return cur.rowcount

    def list(self, kind: str, parent: str | None = None) -> list[JSONDoc]:
        """All documents of a kind (optionally of one parent), in insertion order."""
        if parent is None:
            rows = self._conn.execute("SELECT body FROM documents WHERE kind = ? ORDER BY seq", (kind,))
        else:
            rows = self._conn.execute(
                "SELECT body FROM documents WHERE kind = ? AND parent = ? ORDER BY seq", (kind, parent)
            )
        return [_load(r[0]) for r in rows.fetchall()]

    def count(self, kind: str) -> int:
        row = self._conn.execute("SELECT COUNT(*) FROM documents WHERE kind = ?", (kind,)).fetchone()
        return int(row[0])

    def get_meta(self, name: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def next_seq(self, name: str) -> int:
        current = self.get_meta(f"seq:{name}")
        value = (int(current) if current is not None else 0) + 1
        self.set_meta(f"seq:{name}", str(value))
        return value


def _load(text: str) -> JSONDoc:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value


class Store:
    """One SQLite file; a single connection guarded by a re-entrant lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed transaction survives a process crash (not a power cut),
        # which is what "state survives a restart" needs, at a fraction of FULL's cost.
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def wipe(self, keep_meta: tuple[str, ...] = ()) -> None:
        """Delete every document and meta value except the named meta entries."""
        with self.transaction() as tx:
            tx._conn.execute("DELETE FROM documents")
            placeholders = ",".join("?" for _ in keep_meta)
            if keep_meta:
                tx._conn.execute(f"DELETE FROM meta WHERE name NOT IN ({placeholders})", keep_meta)
            else:
                tx._conn.execute("DELETE FROM meta")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
