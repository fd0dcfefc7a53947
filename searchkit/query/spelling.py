"""Typo tolerance and "did you mean": the rules every engine follows.

Each engine finds, for a query word its index does not know, the indexed stems near the
word's own stem and the words of the text that stem to them; the rules here choose among
those words and decide whether the query is searched corrected:

- only the first MAX_SUGGESTED unknown words of up to MAX_PATTERN_CHARS letters are looked
  at (each costs a scan of the vocabulary), digits never;
- candidate stems lie within `search_distance` edits of the word's stem (Levenshtein, first
  letter shared);
- the nearest word of the text wins (edit distance counting a swap of neighbouring letters
  as one edit), then the one whose stem more articles use, then the first alphabetically;
  it is suggested when at most `search_distance` + 1 edits away;
- the query is searched corrected (`is_typo`) when the suggestion is within the typo
  budget: one edit in words of TYPO_MIN_LETTERS or more letters, two from TYPO_TWO_LETTERS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..analysis.analyzer import normalize_word
from .language import MAX_PATTERN_CHARS, QueryWord

#: Unknown words a correction is looked for (each costs an automaton and a vocabulary scan).
MAX_SUGGESTED = 4
#: Typo tolerance: words this long or longer may have one typo, TYPO_TWO_LETTERS or
#: longer two; past TYPO_MAX_LETTERS a word is taken as typed (no real word is that long).
TYPO_MIN_LETTERS = 4
TYPO_TWO_LETTERS = 8
TYPO_MAX_LETTERS = 30
#: Candidate stems share this many first letters with the typed word's stem.
PREFIX = 1


def suggestable(words: Sequence[QueryWord], known) -> list[QueryWord]:
    """The query words a correction is looked for: the first MAX_SUGGESTED of those the
    index does not know (`known(word)` false), of up to MAX_PATTERN_CHARS letters."""
    unknown = [
        w
        for w in words
        if len(w.term) <= MAX_PATTERN_CHARS and not w.term.isdigit() and not known(w)
    ]
    return unknown[:MAX_SUGGESTED]


def search_distance(typed: str) -> int:
    """Edits between a word's stem and the indexed stems looked at: 1 under 5 letters, else 2."""
    return 1 if len(normalize_word(typed)) < 5 else 2


def nearest(typed: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The word of `candidates` ((word, articles using its stem)) suggested for `typed`:
    the nearest, then the commonest stem, then the first alphabetically; None when none is
    within `search_distance(typed)` + 1 edits."""
    typed = normalize_word(typed)
    ranked = [(distance(typed, word), -articles, word) for word, articles in candidates]
    if not ranked:
        return None
    best = min(ranked)
    return best[2] if best[0] <= search_distance(typed) + 1 else None


def is_typo(typed: str, known: str) -> bool:
    """Whether `known` is close enough to `typed` to be searched in its place."""
    typed = normalize_word(typed)
    if not TYPO_MIN_LETTERS <= len(typed) <= TYPO_MAX_LETTERS:
        return False
    allowed = 2 if len(typed) >= TYPO_TWO_LETTERS else 1
    return distance(typed, known) <= allowed


def typos(fixes: Sequence[tuple[QueryWord, str]], exact: bool) -> list[tuple[QueryWord, str]]:
    """The corrections a query is searched with: none when `exact`, else those within the
    typo budget."""
    return [] if exact else [(w, fix) for w, fix in fixes if is_typo(w.text, fix)]


def rewrite(query: str, fixes: Sequence[tuple[QueryWord, str]]) -> str:
    """`query` with each of the words in `fixes` replaced by its correction."""
    for w, better in sorted(fixes, key=lambda wf: -wf[0].start):
        query = query[: w.start] + better + query[w.end :]
    return query


def distance(a: str, b: str, swaps: bool = True) -> int:
    """Edit distance; with `swaps`, a swap of neighbouring letters counts as one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if swaps and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def near_stem(typed: str, stem: str, candidate: str) -> bool:
    """Whether the indexed stem `candidate` is looked at for the query word `typed` whose
    stem is `stem`: within `search_distance(typed)` edits (no swaps), the first PREFIX
    letters shared, as Whoosh's `terms_within` finds them."""
    return candidate[:PREFIX] == stem[:PREFIX] and distance(
        stem, candidate, swaps=False
    ) <= search_distance(typed)
