"""What the extractor runs on: the packaged name tagger and NLTK's word lists, where installed.

The tagger (`crf.NameTagger`) needs python-crfsuite and the model shipped in
the package, no NLTK data. NLTK's `gazetteers`, `names`, `words` and
`stopwords` corpora sharpen its word-list features and the typing rules;
without them the built-in lists stand in. Each missing piece is named in one
line on stderr, with what is done instead.
"""

from __future__ import annotations

from ... import nltkdata
from .crf import NameTagger, available
from .gazetteer import Lexicon

#: Word lists that help finding and typing names; without them, the built-in lists alone.
LISTS = ("gazetteers", "names", "words", "stopwords")


def installed_packages() -> dict[str, bool]:
    """Which NLTK word lists load; one stderr line names all that are missing."""
    have = {pkg: nltkdata.available(pkg, quiet=True) for pkg in LISTS}
    missing = [pkg for pkg in LISTS if not have[pkg]]
    if missing:
        nltkdata.warn(
            f"NLTK data {', '.join(missing)} not installed; finding entities with the name "
            "tagger and built-in word lists only (set NLTK_DATA to a folder that has them)"
        )
    return have


def load_tagger(lex: Lexicon) -> NameTagger | None:
    """The name tagger, or None (and one stderr line) when it cannot run here."""
    if available():
        return NameTagger(lex)
    nltkdata.warn(
        "the name tagger (python-crfsuite and searchkit/analysis/entities/data/ner.crfsuite) is not "
        "installed; finding entities with capitalisation rules and cue words"
    )
    return None
