"""`Index`: the library's front door. The CLI and the shell only call this.

An index folder holds the Whoosh index, `searchkit.json` (schema version and
the stopword list the index was analysed with) and `stems.json` (the stem
cache, so queries need not import NLTK).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .analysis import Stemmer
from .document import ENTITY_TYPES, Document, Entities
from .errors import CorruptIndexError, IndexNotFoundError, SchemaVersionError
from .filesystem import DEFAULT_MAX_FILE_SIZE
from .locations import default_corpus_dir, default_index_dir, is_per_user
from .results import IndexReport, Results, Stats
from .schema import SCHEMA_VERSION, build_schema, stored_date, stored_names

META_FILE = "searchkit.json"


def exists(directory: str | os.PathLike) -> bool:
    """True when `directory` holds a searchkit index (of any version)."""
    return (Path(directory) / META_FILE).is_file()


class Index:
    """A searchkit index on disk. Use `Index.create`, `Index.open` or `Index.open_or_build`."""

    def __init__(self, directory: Path, whoosh_index, meta: dict, stemmer: Stemmer) -> None:
        self.directory = directory
        self._ix = whoosh_index
        self.meta = meta
        self.stemmer = stemmer
        self._searcher = None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(cls, directory: str | os.PathLike, stoplist: Sequence[str] | None = None) -> Index:
        """Make a new, empty index in `directory` (replacing whatever index was there)."""
        from .analysis import english_stopwords
        from .storage import MappedStorage

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        stops = list(stoplist) if stoplist is not None else english_stopwords()
        meta = {
            "schema_version": SCHEMA_VERSION,
            "stopwords": stops,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        stemmer = Stemmer()
        ix = MappedStorage(str(directory)).create_index(build_schema(stemmer, stops))
        _write_json_atomic(directory / META_FILE, meta)
        stemmer.save(directory)
        return cls(directory, ix, meta, stemmer)

    @classmethod
    def open(cls, directory: str | os.PathLike) -> Index:
        """Open an existing index; raises an `IndexOpenError` subclass with a one-line reason."""
        directory = Path(directory)
        if not directory.is_dir() or not any(directory.iterdir()):
            raise IndexNotFoundError(
                f"no index at {directory}: build one with `searchkit index PATH --index {directory}`"
            )
        meta_path = directory / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            version = int(meta["schema_version"])
            stops = list(meta["stopwords"])
        except FileNotFoundError:
            raise IndexNotFoundError(
                f"no searchkit index at {directory} ({META_FILE} is missing): "
                f"build one with `searchkit index PATH --index {directory} --rebuild`"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise CorruptIndexError(
                f"index at {directory} is corrupt ({META_FILE}: {e}): "
                f"rebuild it with `searchkit index PATH --index {directory} --rebuild`"
            ) from None
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"index at {directory} was built by schema version {version}, this searchkit "
                f"reads version {SCHEMA_VERSION}: rebuild it with "
                f"`searchkit index PATH --index {directory} --rebuild`"
            )
        stemmer = Stemmer.load(directory)
        index = cls(directory, _open_whoosh(directory, build_schema(stemmer, stops)), meta, stemmer)
        try:
            index.searcher()  # reads the table of contents and segments: damage shows here
        except Exception as e:  # noqa: BLE001 - whoosh raises many types for damaged files
            raise CorruptIndexError(
                f"index at {directory} is corrupt ({type(e).__name__}: {e}): rebuild it with "
                f"`searchkit index PATH --index {directory} --rebuild`"
            ) from None
        return index

    @classmethod
    def open_or_build(
        cls,
        directory: str | os.PathLike | None = None,
        corpus: str | os.PathLike | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> Index:
        """Open the index, building it from the bundled corpus first when there is none.

        Only a missing index is built; a corrupt or outdated one raises, so that
        nothing a user built is silently replaced.
        """
        directory = Path(directory) if directory else default_index_dir()
        if not exists(directory):
            corpus = Path(corpus) if corpus else default_corpus_dir()
            if notify and is_per_user(directory):
                notify(
                    f"No index yet: building it in your data folder {directory} from the "
                    "bundled articles ($SEARCHKIT_INDEX chooses another folder) ..."
                )
            elif notify:
                notify(f"No index at {directory}: building it from {corpus} ...")
            ix = cls.create(directory)
            report = ix.add_paths([corpus])
            if notify:
                notify(
                    f"Indexed {report.added} articles in {report.seconds:.1f} s "
                    f"({report.skipped} skipped)."
                )
            return ix
        return cls.open(directory)

    # -- writing -----------------------------------------------------------------

    def add_documents(
        self, documents: Iterable[Document], *, extract_entities: bool = True
    ) -> IndexReport:
        """Add or replace (by id) the given documents, in one atomic commit."""
        from .indexer import add_documents

        return add_documents(self, documents, extract_entities=extract_entities)

    def add_paths(
        self,
        paths: Sequence[str | os.PathLike],
        *,
        rebuild: bool = False,
        extract_entities: bool = True,
        workers: int | None = None,
        progress: bool = False,
        follow_links: bool = False,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    ) -> IndexReport:
        """Bring the index up to date with files under `paths` (new, changed, deleted).

        Only regular files of at most `max_file_size` bytes are read; symbolic links
        that lead outside `paths` are followed only with `follow_links`.
        """
        from .indexer import add_paths

        return add_paths(
            self,
            [Path(p) for p in paths],
            rebuild=rebuild,
            extract_entities=extract_entities,
            workers=workers,
            progress=progress,
            follow_links=follow_links,
            max_file_size=max_file_size,
        )

    def roots(self) -> list[Path]:
        """The files and folders this index was built from, as given to `add_paths`."""
        return [Path(p) for p in self.meta.get("roots", [])]

    def add_roots(self, roots: Sequence[str | os.PathLike]) -> None:
        """Record folders/files as sources of this index (so `searchkit index` can re-read them)."""
        known = [str(p) for p in self.roots()]
        new = [str(Path(r)) for r in roots if str(Path(r)) not in known]
        if new:
            self.meta["roots"] = known + new
            _write_json_atomic(self.directory / META_FILE, self.meta)

    # -- reading -----------------------------------------------------------------

    @property
    def whoosh(self):
        """The underlying `whoosh.index.FileIndex` (for advanced use)."""
        return self._ix

    @property
    def schema(self):
        return self._ix.schema

    def searcher(self):
        """A Whoosh searcher on the latest commit, kept open between calls.

        After a commit it is reopened rather than `refresh()`ed: Whoosh's refresh
        reuses segment readers, which keep their old deletion sets (so deleted and
        replaced articles would still be seen), and cannot refresh an empty index.
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            from .searching import WEIGHTING  # the tuned BM25F (see searching.py)

            self._searcher = self._ix.searcher(weighting=WEIGHTING)
        return self._searcher

    def __len__(self) -> int:
        return self.searcher().doc_count()

    def document(self, id: str) -> Document | None:
        """The stored article with this id, or None."""
        fields = self.searcher().document(id=id)
        return document_from_stored(fields) if fields else None

    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        filters: Sequence[str] | None = None,
    ) -> Results:
        """Run a query (see `searchkit help query`); `filters` are `field:value` strings."""
        from .searching import search

        return search(self, query, limit=limit, page=page, sort=sort, filters=filters)

    def more_like(self, id: str, limit: int = 10) -> Results:
        """Articles most like the article `id`."""
        from .searching import more_like

        return more_like(self, id, limit=limit)

    def stats(self) -> Stats:
        """Counts and spans describing the index."""
        from .searching import stats

        return stats(self)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def document_from_stored(fields: dict) -> Document:
    """Rebuild a `Document` from a Whoosh stored-fields dict."""
    prov = fields.get("provenance") or {}
    ents = Entities(**{k: stored_names(fields.get(k)) for k in ENTITY_TYPES})
    return Document(
        id=fields["id"],
        body=fields.get("body", ""),
        title=fields.get("title", ""),
        path=fields.get("path", ""),
        source=fields.get("source", ""),
        date=stored_date(fields.get("date")),
        author=fields.get("author", ""),
        wire=fields.get("wire", ""),
        url=fields.get("url", ""),
        original=fields.get("original", ""),
        title_provenance=prov.get("title", ""),
        source_provenance=prov.get("source", ""),
        date_provenance=prov.get("date", ""),
        entities=ents,
        sentences=list(fields.get("sentences") or []),
        content_hash=fields.get("content_hash", ""),
    )


def _open_whoosh(directory: Path, schema):
    from whoosh import index as whoosh_index

    from .storage import MappedStorage  # files read through mmap, not copied (storage.py)

    try:
        return whoosh_index.FileIndex(MappedStorage(str(directory)), schema=schema)
    except whoosh_index.EmptyIndexError:
        raise CorruptIndexError(
            f"index at {directory} has no Whoosh index files: rebuild it with "
            f"`searchkit index PATH --index {directory} --rebuild`"
        ) from None
    except Exception as e:  # noqa: BLE001 - whoosh raises many types for damaged files
        raise CorruptIndexError(
            f"index at {directory} is corrupt ({type(e).__name__}: {e}): rebuild it with "
            f"`searchkit index PATH --index {directory} --rebuild`"
        ) from None


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
