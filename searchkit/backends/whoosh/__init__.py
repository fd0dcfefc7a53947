"""The embedded Whoosh index: schema, writing, commits, storage, searching, highlights."""
