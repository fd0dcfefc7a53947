"""The entity extractor: NLTK's models and word lists loaded once, applied to each article."""

from __future__ import annotations

from ..document import Entities
from ..gazetteer import Lexicon
from .mentions import Mention, block_mentions, title_mentions
from .models import installed_packages, load_chunker
from .prose import prose_blocks
from .resolve import resolve


class EntityExtractor:
    """Create once per process (loads tagger and chunker once); reuse for every article."""

    def __init__(self) -> None:
        have = installed_packages()
        self._lex = Lexicon.load(have)
        self._chunker = load_chunker(have)

    @property
    def uses_nltk(self) -> bool:
        """True when the NLTK tagger and chunker are in use (not the fallback)."""
        return self._chunker is not None

    def extract(self, title: str, body: str) -> Entities:
        """Entities of one article, canonical names in order of first mention."""
        mentions: list[Mention] = []
        for block in prose_blocks(body):
            mentions.extend(block_mentions(block, len(mentions), self._lex, self._chunker))
        mentions.extend(title_mentions(title, mentions, self._lex))
        return resolve(mentions, self._lex)
