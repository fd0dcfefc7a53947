"""The fields of a searchkit index whatever engine holds it: what a query may name, and the
version of the index's layout that every engine records and checks on open.

Bump `SCHEMA_VERSION` whenever a field or an analyzer changes in a way that makes an existing
index (a folder or a cluster's) disagree with the code; opening an older one then asks the user
to rebuild it.
"""

from __future__ import annotations

#: 2: each commit has a manifest with checksums and its own stem cache and facet table.
SCHEMA_VERSION = 2

#: Fields a query may name, as users type them: text fields are stemmed, name fields not.
TEXT_QUERY_FIELDS = ("title", "body")
NAME_QUERY_FIELDS = ("source", "person", "org", "place", "entity")
QUERY_FIELDS = (*TEXT_QUERY_FIELDS, *NAME_QUERY_FIELDS, "date")
