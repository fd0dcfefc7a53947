"""`Index`: the library's front door. The CLI and the shell only call this.

An index folder holds the Whoosh index, `searchkit.json` (schema version and the
stopword list the index was analysed with) and, per commit, a manifest of its
files with their checksums, the stem cache (so queries need not import NLTK) and
the facet table (see backends/whoosh/commit.py). A reader sees one commit, whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis.analyzer import Stemmer
from .backends.whoosh import commit as commits
from .backends.whoosh.schema import build_schema, stored_date, stored_names
from .document import ENTITY_TYPES, Document, Entities
from .errors import (
    CorruptIndexError,
    IndexNotFoundError,
    IndexWriteError,
    SchemaVersionError,
    SearchkitError,
    corrupt_index,
)
from .fields import SCHEMA_VERSION
from .ingestion.filesystem import DEFAULT_MAX_FILE_SIZE
from .locations import default_corpus_dir, default_index_dir, is_per_user
from .results import CheckReport, IndexReport, Results, Stats

if TYPE_CHECKING:
    from .backends.base import SearchIndex
    from .backends.whoosh.vocabulary import Vocabulary

META_FILE = commits.SETTINGS


def exists(directory: str | os.PathLike) -> bool:
    """True when `directory` holds a searchkit index (of any version, maybe damaged)."""
    directory = Path(directory)
    if (directory / META_FILE).is_file():
        return True
    try:
        return commits.latest_generation(directory) >= 0
    except OSError:
        return False


def _reading(method):
    """An error while reading the index becomes one line naming the damaged file, if
    checking the commit's files finds one (else it is a bug, and is raised as is)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SearchkitError:
            raise
        except Exception:
            problems = self._commit.verify() if self._commit is not None else []
            if problems:
                raise self.corrupt(problems) from None
            raise

    return wrapper


class Index:
    """A searchkit index on disk. Use `Index.create`, `Index.open` or `Index.open_or_build`.

    Given an OpenSearch location (``opensearch://HOST:PORT/NAME``, see README) instead of a
    folder, these return the index on the cluster, which answers the same calls
    (`searchkit.backends.base.SearchIndex`); the client is imported only then.
    """

    def __init__(self, directory: Path, meta: dict, stemmer: Stemmer) -> None:
        self.directory = directory
        self.meta = meta
        self.stemmer = stemmer
        self._schema = build_schema(stemmer, meta["stopwords"])
        self._ix = None  # Whoosh's FileIndex, opened for writing only
        self._commit: commits.Commit | None = None
        self._segments: list = []
        self._searcher = None
        self._facets: dict = {}

    # -- opening -----------------------------------------------------------------

    @classmethod
    def create(
        cls, directory: str | os.PathLike, stoplist: Sequence[str] | None = None
    ) -> SearchIndex:
        """Make a new, empty index in `directory` (replacing whatever index was there)."""
        from .analysis.analyzer import english_stopwords

        if _remote(directory):
            return _cluster().create(directory, stoplist)
        directory = Path(directory)
        stops = list(stoplist) if stoplist is not None else english_stopwords()
        meta = {
            "schema_version": SCHEMA_VERSION,
            "stopwords": stops,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        index = cls(directory, meta, Stemmer())
        try:
            directory.mkdir(parents=True, exist_ok=True)
            commits.clear(directory)
            commits.write_atomic(
                directory / META_FILE, json.dumps(meta, ensure_ascii=False, indent=1).encode()
            )
            commits.publish(
                directory,
                index._schema,
                [],
                0,
                stems=index.stemmer.dumps(),
                facets=None,
                roots=[],
                previous=None,
            )
        except OSError as e:
            raise IndexWriteError(
                f"cannot create an index at {directory} ({e.strerror or e})"
            ) from None
        index.searcher()
        return index

    @classmethod
    def open(cls, directory: str | os.PathLike) -> SearchIndex:
        """Open an existing index; raises an `IndexOpenError` subclass with a one-line reason."""
        if _remote(directory):
            return _cluster().open(directory)
        directory = Path(directory)
        meta = _read_settings(directory)
        index = cls(directory, meta, Stemmer())
        index.searcher()  # opens the latest commit, every file's size checked
        return index

    @classmethod
    def check(cls, directory: str | os.PathLike) -> CheckReport:
        """Check every file of the latest commit against the size and checksum
        recorded when it was written. Raises `IndexOpenError` only when there is no
        index there, or one of another schema version.

        On a cluster: mapping, analysis settings, health and fingerprints instead
        (a `backends.opensearch.check.ClusterCheckReport`)."""
        if _remote(directory):
            with _cluster().open(directory) as index:
                return index.check()
        directory = Path(directory)
        _read_settings(directory)
        return commits.check(directory)

    @classmethod
    def open_or_build(
        cls,
        directory: str | os.PathLike | None = None,
        corpus: str | os.PathLike | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> SearchIndex:
        """Open the index, building it from the bundled corpus first when there is none.

        Only a missing index is built; a corrupt or outdated one raises, so that
        nothing a user built is silently replaced.
        """
        directory = directory or os.environ.get("SEARCHKIT_INDEX") or None
        if _remote(directory):
            return cls.open(directory)
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
        from .backends.whoosh.indexer import add_documents

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
        dask: str | None = None,
    ) -> IndexReport:
        """Bring the index up to date with files under `paths` (new, changed, deleted).

        Only regular files of at most `max_file_size` bytes are read; symbolic links
        that lead outside `paths` are followed only with `follow_links`.

        `dask`: a Dask scheduler address (or "local") whose workers read and analyse
        the changed files; needs the `searchkit[dask]` extra.
        """
        from .backends.whoosh.indexer import add_paths

        return add_paths(
            self,
            [Path(p) for p in paths],
            rebuild=rebuild,
            extract_entities=extract_entities,
            workers=workers,
            progress=progress,
            follow_links=follow_links,
            max_file_size=max_file_size,
            dask=dask,
        )

    def roots(self) -> list[Path]:
        """The files and folders this index was built from, as given to `add_paths`."""
        self.searcher()
        return [Path(p) for p in self._commit.manifest.roots]

    # -- reading -----------------------------------------------------------------

    @property
    def whoosh(self):
        """The underlying `whoosh.index.FileIndex`, for writing (and advanced use)."""
        if self._ix is None:
            from whoosh.index import FileIndex

            from .backends.whoosh.storage import MappedStorage

            self._ix = FileIndex(MappedStorage(str(self.directory)), schema=self._schema)
        return self._ix

    @property
    def schema(self):
        return self._schema

    def commit(self) -> commits.Commit:
        """The commit searches read: the latest one when `searcher()` was last called."""
        self.searcher()
        return self._commit

    def searcher(self):
        """A Whoosh searcher on the latest commit, kept open until a newer one exists.

        The commit's files are opened together (backends/whoosh/commit.py), so the searcher reads
        one commit whole however many commits follow. A newer commit is opened
        anew rather than `refresh()`ed: Whoosh's refresh reuses segment readers,
        which keep their old deletion sets.
        """
        if self._searcher is not None and self._latest() != self._commit.generation:
            self._searcher.close()
            self._searcher = self._commit = None
        if self._searcher is None:
            self._open_latest()
        return self._searcher

    def _latest(self) -> int:
        try:
            return commits.latest_generation(self.directory)
        except OSError as e:
            raise IndexNotFoundError(f"no index at {self.directory} ({e.strerror})") from None

    def _open_latest(self) -> None:
        from whoosh.index import TOC, FileIndex
        from whoosh.searching import Searcher

        from .backends.whoosh.searching import WEIGHTING  # the tuned BM25F

        found = commits.open_commit(self.directory)
        try:
            self.stemmer.merge(found.read(found.manifest.stems))
            storage = found.storage()
            toc = TOC.read(storage, commits.INDEXNAME, found.generation, schema=self._schema)
            reader = FileIndex._reader(storage, self._schema, toc.segments, toc.generation)
        except Exception as e:  # noqa: BLE001 - whoosh raises many types for damaged files
            found.close()
            problem = f"{type(e).__name__}: {e}"
            raise corrupt_index(
                self.directory,
                [problem],
                commits.rebuild_hint(self.directory, found.manifest.roots),
            ) from None
        self._commit, self._segments, self._facets = found, toc.segments, {}
        self._searcher = Searcher(reader, weighting=WEIGHTING)

    def reader(self):
        """A new Whoosh reader of its own on the commit searches read (close it after use)."""
        from whoosh.index import FileIndex

        found = self.commit()
        return FileIndex._reader(
            found.storage(), self._schema, list(self._segments), found.generation
        )

    def facet_table(self, reader):
        """The facet table saved with `reader`'s commit, or None (count from the columns)."""
        from .backends.whoosh.facetcache import matching

        key = id(reader)
        if key not in self._facets:
            name = self._commit.manifest.facets if self._commit is not None else None
            self._facets[key] = matching(self._commit.read(name), reader) if name else None
        return self._facets[key]

    def corrupt(self, problems: list[str]) -> CorruptIndexError:
        """The one-line error for damage found in this index's commit."""
        roots = self._commit.manifest.roots if self._commit is not None else []
        return corrupt_index(self.directory, problems, commits.rebuild_hint(self.directory, roots))

    @_reading
    def __len__(self) -> int:
        return self.searcher().doc_count()

    @_reading
    def document(self, id: str) -> Document | None:
        """The stored article with this id, or None."""
        fields = self.searcher().document(id=id)
        return document_from_stored(fields) if fields else None

    @_reading
    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        filters: Sequence[str] | None = None,
        exact: bool = False,
        expand: bool | None = None,
    ) -> Results:
        """Run a query (see `searchkit help query`); `filters` are `field:value` strings;
        `exact` keeps unknown words as typed (no typo tolerance); `expand` turns query
        expansion on or off (None: the default, see README)."""
        from .backends.whoosh.searching import search

        return search(
            self,
            query,
            limit=limit,
            page=page,
            sort=sort,
            filters=filters,
            exact=exact,
            expand=expand,
        )

    @_reading
    def more_like(self, id: str, limit: int = 10) -> Results:
        """Articles most like the article `id`."""
        from .backends.whoosh.searching import more_like

        return more_like(self, id, limit=limit)

    @_reading
    def stats(self) -> Stats:
        """Counts and spans describing the index."""
        from .backends.whoosh.searching import stats

        return stats(self)

    @property
    def label(self) -> str:
        """The index folder, as messages and the shell name it."""
        return str(self.directory)

    def stem(self, word: str) -> str:
        """The term a word of article text is indexed as: from the index's stem cache, else
        Whoosh's Snowball English stem (no NLTK import)."""
        from whoosh.lang.porter2 import stem as porter2

        from .analysis.analyzer import normalize_word

        word = normalize_word(word)
        return self.stemmer.cache.get(word) or porter2(word)

    def vocabulary(self) -> Vocabulary:
        """The index's words, sources, entity names and years, for completion."""
        from .backends.whoosh.vocabulary import Vocabulary

        return Vocabulary(self)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._commit is not None:
            self._commit.close()
            self._commit = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _remote(location: str | os.PathLike | None) -> bool:
    from .backends.base import is_remote

    return is_remote(location)


def _cluster():
    """The OpenSearch index class (imported only for an OpenSearch location)."""
    from .backends.opensearch.index import OpenSearchIndex

    return OpenSearchIndex


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


def _read_settings(directory: Path) -> dict:
    """`searchkit.json`, checked: IndexNotFoundError, CorruptIndexError or
    SchemaVersionError with a one-line reason."""
    if not directory.is_dir():
        what = "it is a file, not a folder" if directory.exists() else "no such folder"
        raise IndexNotFoundError(
            f"no index at {directory} ({what}): build one with "
            f"`searchkit index PATH --index {directory}`"
        )
    try:
        meta = json.loads((directory / META_FILE).read_bytes())
        version = meta["schema_version"]
        stops = meta["stopwords"]
        if not isinstance(version, int) or not isinstance(stops, list):
            raise TypeError("fields of the wrong type")
        if not all(isinstance(w, str) for w in stops):
            raise TypeError("stopwords that are not words")
    except FileNotFoundError:
        if exists(directory):  # the rest of an index is there
            raise corrupt_index(
                directory, [f"{META_FILE} is missing"], _rebuild(directory)
            ) from None
        raise IndexNotFoundError(
            f"no searchkit index at {directory} ({META_FILE} is missing): "
            f"build one with `searchkit index PATH --index {directory}`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise corrupt_index(directory, [f"{META_FILE}: {e}"], _rebuild(directory)) from None
    if version != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"index at {directory} was built by schema version {version}, this searchkit "
            f"reads version {SCHEMA_VERSION}: rebuild it with `{_rebuild(directory)}`"
        )
    return meta


def _rebuild(directory: Path) -> str:
    """The command that rebuilds the index at `directory` from what it was built from."""
    return commits.rebuild_hint(directory, commits.recorded_roots(directory))
