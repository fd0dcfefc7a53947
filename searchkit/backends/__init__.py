"""Search engines searchkit can store its index in, beside the embedded Whoosh index."""
