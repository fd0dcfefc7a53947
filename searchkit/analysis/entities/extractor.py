"""The entity extractor: the name tagger and word lists loaded once, applied to each article."""

from __future__ import annotations

from ...document import Entities
from .gazetteer import Lexicon
from .mentions import Mention, block_mentions, title_mentions
from .models import installed_packages, load_tagger
from .prose import article_lines
from .resolve import resolve


class EntityExtractor:
    """Create once per process (loads the tagger and word lists once); reuse for every article."""

    def __init__(self) -> None:
        have = installed_packages()
        self._lex = Lexicon.load(have)
        self._tagger = load_tagger(self._lex)
        self.full_lists = all(have.values())

    @property
    def uses_tagger(self) -> bool:
        """True when the name tagger is in use (not the capitalisation rules)."""
        return self._tagger is not None

    def extract(self, title: str, body: str) -> Entities:
        """Entities of one article, canonical names in order of first mention."""
        mentions: list[Mention] = []
        for line in article_lines(body):
            mentions.extend(block_mentions(line, len(mentions), self._lex, self._tagger))
        mentions.extend(title_mentions(title, mentions, self._lex, self._tagger))
        return resolve(mentions, self._lex)
