"""CoNLL-format annotated news: documents of sentences of (token, tag), their text and names.

The format of the CoNLL-2003 shared task: one `TOKEN ... TAG` line per token
(the tag is the last column; columns between are ignored), a blank line between
sentences, `-DOCSTART-` between documents. Tags are IOB1 or IOB2 over PER,
ORG, LOC and MISC. The first sentence of a document is its headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import SearchkitError

#: CoNLL types -> searchkit's entity fields (MISC has no field).
CONLL_TYPES = {"PER": "person", "ORG": "org", "LOC": "place"}
_TAG = re.compile(r"O|[BI]-[A-Z]+")
_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "?", "!", ")", "%", "'s", "'S", "n't", "'"})


class ConllError(SearchkitError):
    """A CoNLL file that cannot be read; the message names the file and line."""


Sentence = list[tuple[str, str]]


@dataclass
class ConllDocument:
    """One annotated article: its sentences of (token, tag) pairs, headline first."""

    sentences: list[Sentence]

    def text(self) -> tuple[str, str]:
        """(title, body) as an article: the headline, then one sentence per line."""
        lines = [detokenize([tok for tok, _ in s]) for s in self.sentences]
        return (lines[0] if lines else ""), "\n".join(lines[1:])

    def names(self) -> dict[str, list[str]]:
        """Annotated names by CoNLL type ("PER", "ORG", "LOC", "MISC"), as written."""
        out: dict[str, list[str]] = {}
        for sentence in self.sentences:
            for kind, start, end in spans([tag for _, tag in sentence]):
                words = [tok for tok, _ in sentence[start:end]]
                out.setdefault(kind, []).append(detokenize(words))
        return out


def spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, start, end) of each name in a sentence's tags; IOB1 and IOB2 alike."""
    out: list[tuple[str, int, int]] = []
    prev = "O"
    for i, tag in enumerate(tags):
        if tag != "O":
            kind = tag[2:]
            if tag.startswith("I-") and prev != "O" and prev[2:] == kind:
                out[-1] = (kind, out[-1][1], i + 1)
            else:
                out.append((kind, i, i + 1))
        prev = tag
    return out


def detokenize(tokens: list[str]) -> str:
    """Tokens as text: spaces between words, none before closing punctuation or "'s";
    a full stop after an abbreviation is its own ("U.S." "." -> "U.S.")."""
    out: list[str] = []
    for tok in tokens:
        if tok == "." and out and out[-1].endswith("."):
            continue
        if out and tok not in _NO_SPACE_BEFORE and out[-1] != "(":
            out.append(" ")
        out.append(tok)
    return "".join(out)


def read_conll(path: Path) -> list[ConllDocument]:
    """The documents of a CoNLL file (a file without `-DOCSTART-` is one document)."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConllError(f"cannot read {path}: {e}") from None
    docs: list[ConllDocument] = []
    sentences: list[Sentence] = []
    current: Sentence = []

    def end_sentence() -> None:
        nonlocal current
        if current:
            sentences.append(current)
            current = []

    def end_document() -> None:
        nonlocal sentences
        end_sentence()
        if sentences:
            docs.append(ConllDocument(sentences))
            sentences = []

    for number, line in enumerate(lines, 1):
        cols = line.split()
        if not cols:
            end_sentence()
        elif cols[0] == "-DOCSTART-":
            end_document()
        elif len(cols) < 2 or not _TAG.fullmatch(cols[-1]):
            raise ConllError(f"{path}:{number}: expected `TOKEN TAG` with an IOB tag, got {line!r}")
        else:
            current.append((cols[0], cols[-1]))
    end_document()
    if not docs:
        raise ConllError(f"{path}: no annotated sentences")
    return docs
