"""Named entities of an article: people, organisations and places, with canonical names.

How, module by module, following the data:

- `prose`: the article is cut into prose blocks (navigation lines, bios and
  photo credits are dropped), datelines, sentences and tokens.
- `models`: capitalised stretches are POS-tagged with NLTK's perceptron tagger
  and chunked with NLTK's binary maxent NE chunker (the typed multiclass
  chunker too, where installed), applied fast.
- `mentions`: chunks become mentions of names, split at titles and joined
  across "of" and "and"; `classify` scores the type evidence of each
  (gazetteers, first names, cue words such as "Mr.", "Minister", "Ltd.", "in").
- `resolve`: mentions of the same thing are grouped, typed (a name typed once
  types its other mentions; lists share a type) and named canonically
  (see `searchkit.aliases`).
- `merge`: extracted entities are merged with entities given with the article.

Without NLTK's data the same pipeline runs on capitalised word sequences
instead of chunks, and says so once on stderr. Importing this package does not
import NLTK: creating an `EntityExtractor` does.
"""

from __future__ import annotations

from .extractor import EntityExtractor
from .merge import merge_entities
from .prose import prose_blocks, tokenize

__all__ = ["EntityExtractor", "merge_entities", "prose_blocks", "tokenize"]
