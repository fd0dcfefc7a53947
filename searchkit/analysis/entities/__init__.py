"""Named entities of an article: people, organisations and places, with canonical names.

How, module by module, following the data:

- `prose`: the article is cut into lines (hard-wrapped lines joined; a line
  end is otherwise a boundary), datelines, sentences and tokens; author bios
  and photo credits are dropped.
- `crf`: a CRF name tagger trained on CoNLL-2003 (`bench/train_ner.py`,
  shipped as `data/ner.crfsuite`) labels the names of each sentence, headline
  and table row; `models` loads it and NLTK's word lists once.
- `mentions`: the tagger's names (and capitalised stretches it left out)
  become mentions, split at titles and joined across "of" and "and";
  `classify` scores the type evidence of each: the tagger's label weighted by
  its confidence, gazetteers, first names, cue words ("Mr.", "Minister",
  "Ltd.", "in").
- `resolve`: mentions of the same thing are grouped, typed (a name typed once
  types its other mentions; lists share a type) and named canonically
  (see `searchkit.analysis.entities.aliases`).
- `merge`: extracted entities are merged with entities given with the article.
- `conll`, `evaluate`: reading CoNLL-annotated news and scoring the extractor
  on it (`searchkit eval-entities`).

Without NLTK's word lists the tagger runs with the built-in lists; without
python-crfsuite the same pipeline runs on capitalised word sequences. Either
is said once on stderr. Importing this package imports neither NLTK nor
python-crfsuite: creating an `EntityExtractor` does.
"""

from __future__ import annotations

from .extractor import EntityExtractor
from .merge import merge_entities
from .prose import article_lines, tokenize

__all__ = ["EntityExtractor", "merge_entities", "article_lines", "tokenize"]
