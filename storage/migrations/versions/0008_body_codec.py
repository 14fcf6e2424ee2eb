"""documents.body_codec: how ``body`` keeps the bytes ("zstd": a zstandard frame; empty: as
fetched, as every body stored before it was). Earlier bodies stay as they are.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not in batch mode: SQLite would copy the table, and the views over it refuse that.
    op.add_column("documents", sa.Column("body_codec", sa.String(10)))


def downgrade() -> None:
    # Bodies kept compressed are unpacked first (500 at a time), so an older build reads every body.
    import zstandard

    connection = op.get_bind()
    decompressor = zstandard.ZstdDecompressor()
    ids = list(connection.execute(sa.text("SELECT id FROM documents WHERE body_codec = 'zstd'")).scalars())
    read = sa.text("SELECT id, body FROM documents WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True))
    update = sa.text("UPDATE documents SET body = :body WHERE id = :id")
    for start in range(0, len(ids), 500):
        rows = connection.execute(read, {"ids": ids[start:start + 500]}).all()
        connection.execute(update, [{"id": i, "body": decompressor.decompress(bytes(body))} for i, body in rows])
    op.drop_column("documents", "body_codec")
