"""`/DB.db` downloads one build of a database that builds update in place.

Datasette 0.65 refuses to download a mutable database, and its file alone would not be a
build: a build commits into the WAL file beside it. The download is a copy made by SQLite's
backup from one read transaction, so it holds exactly the build that was committed when it
was asked for, and is deleted once sent.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, asgi_send_file


def _snapshot(path: str, folder: str) -> str:
    """A copy of the database at PATH as its last commit left it, in FOLDER."""
    handle, copy = tempfile.mkstemp(prefix=".download-", suffix=".db", dir=folder)
    os.close(handle)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    except BaseException:
        os.unlink(copy)
        raise
    finally:
        target.close()
        source.close()
    return copy


async def download(datasette, request, send) -> None:
    name = request.url_vars["database"]
    db = datasette.databases.get(name)
    if db is None or not db.path or db.is_memory:
        raise NotFound("Database not found")
    # This route stands in for Datasette's own download, so it makes Datasette's checks.
    allowed = datasette.setting("allow_download") and await datasette.permission_allowed(
        request.actor, "view-database-download", resource=name, default=True
    )
    if not allowed:
        raise Forbidden("Database download is forbidden")
    if not db.is_mutable:
        # Unchanging: the file itself is one build.
        return await asgi_send_file(send, db.path, filename=f"{name}.db")
    # Beside the database: a copy of a large corpus may not fit in the temporary folder.
    copy = await asyncio.get_running_loop().run_in_executor(
        None, _snapshot, db.path, str(Path(db.path).parent)
    )
    try:
        await asgi_send_file(
            send, copy, filename=f"{name}.db", content_type="application/octet-stream"
        )
    finally:
        os.unlink(copy)


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/]+)\.db$", download)]
