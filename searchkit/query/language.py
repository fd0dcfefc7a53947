"""The query language: text -> syntax tree (`parse`) -> Whoosh queries (`compile_query`).

A hand-written lexer and recursive-descent parser, so every error names what is
wrong and the column where it is. Malformed input either reads leniently where
the intent is clear (an unclosed quote or parenthesis) or raises `QueryError`;
nothing else escapes.

Every query's work is bounded (the `MAX_` limits below): nesting deeper than
`MAX_DEPTH` is an error; a longer query, more terms, longer phrases and more
wildcard or fuzzy expansions are cut, and `Compiled.notices` says in one line
each what was cut.

Grammar (lowest precedence first)::

    query   := clause*                     implicit: any word may match, all rank first
    clause  := orexpr
    orexpr  := andexpr ("OR" andexpr)*
    andexpr := unary ("AND" unary)*
    unary   := "NOT" unary | "-" atom | "+" atom | atom
    atom    := "(" query ")" | FIELD ":" value | '"phrase"' ["~" N] | word ["~" [N]]
    value   := word | '"phrase"' | "(" query ")" | date     (each may end in "^" BOOST)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.analysis import CompositeAnalyzer, Filter
from whoosh.lang.porter2 import stem as porter2

from ..analysis.analyzer import SnowballFilter, normalize_word
from ..backends.whoosh.multiterm import Expander, Expansion
from ..errors import QueryError
from ..fields import NAME_QUERY_FIELDS, QUERY_FIELDS, TEXT_QUERY_FIELDS

DEFAULT_FIELDS = TEXT_QUERY_FIELDS
MAX_FUZZY = 2
MAX_PROXIMITY = 1000
MAX_BOOST = 1000.0
#: Characters of a query read; the rest is cut at a space.
MAX_QUERY_CHARS = 10_000
#: Parentheses and NOTs inside each other (deeper is an error, as in Elasticsearch's
#: `max_nested_depth`): the parser and the compiler recurse once per level.
MAX_DEPTH = 32
#: Terms searched: each word or phrase counts one, a wildcard or fuzzy word one per
#: indexed word it stands for. Scoring time grows with the terms times the matching
#: documents: on Reuters-21578, 24 of its commonest words take 1.5 s of CPU, 32 take 2 s.
MAX_TERMS = 24
#: Indexed words one wildcard or fuzzy word may stand for (the commonest are kept).
MAX_EXPANSIONS = 16
#: Words of one phrase matched (the first ones).
MAX_PHRASE_WORDS = 32
#: Letters of a wildcard pattern or a fuzzy word; longer ones are searched as typed.
MAX_PATTERN_CHARS = 40

QUERY_HELP = """\
Query language

  climate change          articles with any of the words; those with all rank first
                          (in queries of up to 8 words)
  huawei AND canada       both words          huawei OR zte    either word
  huawei NOT canola       huawei, never canola (also: huawei -canola)
  +huawei canada          huawei required, canada optional
  Field values for source, person, org, place, entity and date restrict the
  results: huawei date:2019 finds only 2019 articles about huawei.
  (huawei OR zte) 5g      parentheses group
  "deferred prosecution"  an exact phrase (stopwords inside are skipped)
  "meng released"~5       the words within 5 positions of each other

Fields (values are case-insensitive; quote multi-word values)
  title:huawei  body:canola  source:"it world canada"  person:"lu shaye"
  org:huawei  place:vancouver  entity:meng  title:(huawei canada)

Dates
  date:2019  date:2019-05  date:2019-05-30          a year, a month, a day
  date:[2019 to 2020]  date:[2020-06 to *]           inclusive ranges (* = open)
  date:>2020-06  date:>=2020  date:<2020  date:<=2019-05

Wildcards, fuzzy terms, boosts
  huaw*  h?awei           wildcards (* any letters, ? one letter)
  kovirg~  kovirg~1       fuzzy: up to 2 (or N) letters different
  huawei^2 canada         count huawei twice as much

Words are matched in any form: banning finds ban, bans and banned.
A word the index does not know is searched as a known word one typo away
(two for 8+ letters): huwaei finds huawei. Quote it, or use --exact, to keep it.
Other unknown words get a "did you mean" suggestion from the index vocabulary.
A malformed query is rejected with one line saying what is wrong and where.
A query's work is bounded (nesting 32 deep, 10,000 characters, 24 terms, 16
words per wildcard or fuzzy word, 32 words per phrase); a line says what was cut."""


# -- syntax tree ---------------------------------------------------------------------


@dataclass
class Word:
    """One word (possibly with wildcards) in a field, or in the default fields when None."""

    text: str
    column: int
    field: str | None = None
    fuzzy: int | None = None
    boost: float = 1.0


@dataclass
class Phrase:
    text: str
    column: int
    field: str | None = None
    slop: int = 0
    boost: float = 1.0


@dataclass
class DateRange:
    start: dt.date | None
    end: dt.date | None
    column: int


@dataclass
class Group:
    """An implicit sequence of clauses; `occur` is "+" (required), "-" (prohibited) or ""."""

    clauses: list[tuple[str, Node]] = field(default_factory=list)
    boost: float = 1.0


@dataclass
class BoolOp:
    op: str  # "AND" or "OR"
    children: list[Node]


@dataclass
class Not:
    child: Node


Node = Word | Phrase | DateRange | Group | BoolOp | Not


# -- lexer -----------------------------------------------------------------------------


@dataclass
class Token:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN AND OR NOT PLUS MINUS TILDE CARET DATE EOF
    text: str
    column: int  # 1-based
    closed: bool = True  # for PHRASE: whether the closing quote was there
    attached: bool = False  # no space before this token


_SPECIAL = set('()"^~')
_FIELD_NAME = re.compile(r"[A-Za-z_]+")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def _error(message: str, column: int) -> QueryError:
    return QueryError(f"{message}, at column {column}", position=column)


def _is_space(c: str) -> bool:
    return c.isspace() or not c.isprintable()


def tokenize(text: str) -> list[Token]:
    """Split a query into tokens; control characters count as spaces."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    attached = False
    while i < n:
        c = text[i]
        col = i + 1
        if _is_space(c):
            i += 1
            attached = False
            continue
        if c in "()":
            tokens.append(Token("LPAREN" if c == "(" else "RPAREN", c, col, attached=attached))
            i += 1
            if c == "(":  # "(-word": a sign right after "(" is an operator
                attached = False
                continue
        elif c == '"':
            end = text.find('"', i + 1)
            closed = end != -1
            end = end if closed else n
            tokens.append(Token("PHRASE", text[i + 1 : end], col, closed, attached))
            i = end + 1
        elif c in "^~":
            m = _NUMBER.match(text, i + 1)
            num = m.group() if m else ""
            tokens.append(Token("CARET" if c == "^" else "TILDE", num, col, attached=attached))
            i += 1 + len(num)
        elif c in "+-" and not attached and i + 1 < n and not _is_space(text[i + 1]):
            if text[i + 1] in "+-":  # "--x", "+-x": a run of signs reads as a dash
                i += 1
                continue
            tokens.append(Token("PLUS" if c == "+" else "MINUS", c, col))
            i += 1
            attached = True
            continue
        else:
            j = i
            while j < n and not _is_space(text[j]) and text[j] not in _SPECIAL:
                j += 1
            word = text[i:j]
            m = _FIELD_NAME.match(word)
            if m and m.end() < len(word) and word[m.end()] == ":":
                name = m.group().lower()
                rest = m.end() + 1
                if name == "date":
                    j, value = _lex_date_value(text, i + rest)
                    tokens.append(Token("FIELD", name, col, attached=attached))
                    tokens.append(Token("DATE", value, i + rest + 1, attached=True))
                    i = j
                    attached = True
                    continue
                if name in QUERY_FIELDS or rest < len(word) or (j < n and not _is_space(text[j])):
                    tokens.append(Token("FIELD", name, col, attached=attached))
                    j = i + rest
                else:  # "Huawei: the story" - a colon as punctuation
                    tokens.append(Token("WORD", word, col, attached=attached))
            elif word in ("AND", "OR", "NOT"):
                tokens.append(Token(word, word, col, attached=attached))
            else:
                tokens.append(Token("WORD", word, col, attached=attached))
            i = j
        attached = True
    tokens.append(Token("EOF", "", n + 1))
    return tokens


def _lex_date_value(text: str, i: int) -> tuple[int, str]:
    """The raw value after `date:`: a bracketed range or a run of non-space characters."""
    if i < len(text) and text[i] == "[":
        end = text.find("]", i)
        if end == -1:
            raise _error("unclosed date range: expected ']'", len(text) + 1)
        return end + 1, text[i : end + 1]
    j = i
    while j < len(text) and not _is_space(text[j]) and text[j] not in "()":
        j += 1
    return j, text[i:j]


# -- parser ----------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0  # open parentheses
        self.nesting = 0  # open parentheses and NOTs

    def _nest(self, t: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise _error(
                f"the query is nested too deeply (at most {MAX_DEPTH} levels of parentheses "
                "and NOT)",
                t.column,
            )

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def query(self, fieldname: str | None) -> Group:
        group = Group()
        while self.tok.kind != "EOF":
            if self.tok.kind == "RPAREN":
                if self.depth:
                    break
                raise _error("unmatched ')'", self.tok.column)
            occur = ""
            if self.tok.kind in ("PLUS", "MINUS"):
                occur = "+" if self.next().kind == "PLUS" else "-"
                node = self.atom(fieldname)
                if self.tok.kind in ("AND", "OR"):
                    # `-a OR b` reads as `NOT a OR b`: the sign starts a boolean expression
                    node = self.orexpr(fieldname, first=Not(node) if occur == "-" else node)
                    occur = ""
            else:
                node = self.orexpr(fieldname)
            if isinstance(node, Not) and not occur:
                occur, node = "-", node.child
            group.clauses.append((occur, node))
        return group

    def orexpr(self, fieldname: str | None, first: Node | None = None) -> Node:
        children = [self.andexpr(fieldname, first)]
        while self.tok.kind == "OR":
            self._operand_follows(self.next())
            children.append(self.andexpr(fieldname))
        return children[0] if len(children) == 1 else BoolOp("OR", children)

    def andexpr(self, fieldname: str | None, first: Node | None = None) -> Node:
        children = [first if first is not None else self.unary(fieldname)]
        while self.tok.kind == "AND":
            self._operand_follows(self.next())
            children.append(self.unary(fieldname))
        return children[0] if len(children) == 1 else BoolOp("AND", children)

    def _operand_follows(self, op: Token) -> None:
        if self.tok.kind in ("EOF", "RPAREN", "AND", "OR"):
            raise _error(f"'{op.text}' needs a word or group after it", op.column)

    def unary(self, fieldname: str | None) -> Node:
        t = self.tok
        if t.kind == "NOT":
            self.next()
            self._operand_follows(t)
            self._nest(t)
            node = Not(self.unary(fieldname))
            self.nesting -= 1
            return node
        if t.kind == "MINUS":
            self.next()
            return Not(self.atom(fieldname))
        if t.kind == "PLUS":
            self.next()
            return self.atom(fieldname)
        if t.kind in ("AND", "OR"):
            raise _error(f"'{t.text}' needs a word or group before it", t.column)
        return self.atom(fieldname)

    def atom(self, fieldname: str | None) -> Node:
        t = self.next()
        if t.kind == "LPAREN":
            self._nest(t)
            self.depth += 1
            group = self.query(fieldname)
            self.depth -= 1
            self.nesting -= 1
            if self.tok.kind == "RPAREN":  # an unclosed "(" closes at the end
                self.next()
            group.boost = self.boost()
            return group
        if t.kind == "PHRASE":
            slop = 0
            if t.closed and self._suffix("TILDE"):
                slop = self._number(self.next(), "proximity", MAX_PROXIMITY, default=None)
            return Phrase(t.text, t.column, fieldname, int(slop), self.boost())
        if t.kind == "WORD":
            fuzzy = None
            if self._suffix("TILDE"):
                fuzzy = int(self._number(self.next(), "fuzzy distance", MAX_FUZZY, default=2))
            return Word(t.text, t.column, fieldname, fuzzy, self.boost())
        if t.kind == "FIELD":
            return self.fielded(t, fieldname)
        if t.kind in ("CARET", "TILDE"):
            sign = "^" if t.kind == "CARET" else "~"
            raise _error(f"'{sign}' must come right after a word", t.column)
        if t.kind in ("PLUS", "MINUS", "NOT", "AND", "OR", "EOF", "RPAREN"):
            what = "the end of the query" if t.kind == "EOF" else f"'{t.text}'"
            raise _error(f"expected a word, found {what}", t.column)
        raise _error(f"unexpected {t.text!r}", t.column)  # pragma: no cover - lexer kinds

    def fielded(self, t: Token, outer: str | None) -> Node:
        name = t.text
        if name not in QUERY_FIELDS:
            raise _error(f"unknown field '{name}:' (fields: {', '.join(QUERY_FIELDS)})", t.column)
        if outer is not None and outer != name:
            raise _error(f"field '{name}:' inside '{outer}:(...)'", t.column)
        value = self.tok
        if name == "date":
            self.next()
            return parse_date_value(value.text, value.column)
        if not value.attached or value.kind not in ("WORD", "PHRASE", "LPAREN"):
            raise _error(f"expected a value right after '{name}:'", t.column)
        return self.atom(name)

    def _suffix(self, kind: str) -> bool:
        return self.tok.kind == kind and self.tok.attached

    def boost(self) -> float:
        if not self._suffix("CARET"):
            return 1.0
        return self._number(self.next(), "boost", MAX_BOOST, default=None)

    def _number(self, t: Token, what: str, limit: float, default: float | None) -> float:
        sign = "^" if t.kind == "CARET" else "~"
        if not t.text:
            if default is None:
                raise _error(f"'{sign}' must be followed by a number ({what})", t.column)
            return default
        value = float(t.text)
        if not math.isfinite(value) or value > limit:
            shown = t.text if len(t.text) <= 12 else t.text[:12] + "..."
            raise _error(f"{what} {shown} is too large (at most {limit:g})", t.column)
        if what == "boost" and value == 0:
            raise _error("boost must be more than 0", t.column)
        if sign == "~" and value != int(value):
            raise _error(f"{what} must be a whole number", t.column)
        return value


def parse(text: str) -> Group:
    """The syntax tree of a query; raises `QueryError` (with a column) when it cannot be read."""
    if not text.strip():
        raise QueryError("empty query", position=1)
    return _Parser(text).query(None)


# -- dates -----------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _date_bounds(text: str, column: int) -> tuple[dt.date, dt.date]:
    """First and last day of a year, month or day written YYYY, YYYY-MM or YYYY-MM-DD."""
    m = _DATE.fullmatch(text)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
        if day:
            first = last = dt.date(year, month, day)
        elif month:
            first = dt.date(year, month, 1)
            nxt = (
                dt.date(year + month // 12, month % 12 + 1, 1)
                if year < 9999 or month < 12
                else None
            )
            last = nxt - dt.timedelta(days=1) if nxt else dt.date.max
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except (ValueError, OverflowError):
        shown = text or "nothing"
        raise _error(
            f"'{shown}' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)", column
        ) from None
    if year < 1:
        raise _error(f"'{text}' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)", column)
    return first, last


_RANGE = re.compile(r"\[\s*(\S*)\s+(?:to|TO|To|tO)\s+(\S*)\s*\]")


def parse_date_value(value: str, column: int) -> DateRange:
    """`2019`, `2019-05`, `2019-05-30`, `[A to B]` (`*` open), `>X`, `>=X`, `<X`, `<=X`."""
    if not value:
        raise _error("expected a date right after 'date:'", column - 5)
    if value.startswith("["):
        m = _RANGE.fullmatch(value)
        if not m:
            raise _error("a date range reads [YYYY to YYYY] ('*' for an open end)", column)
        a, b = m[1], m[2]
        start = None if a == "*" else _date_bounds(a, column + 1)[0]
        end = None if b == "*" else _date_bounds(b, column + value.index(b))[1]
        if start and end and start > end:
            raise _error("the date range starts after it ends", column)
        return DateRange(start, end, column)
    for op in (">=", "<=", ">", "<"):
        if value.startswith(op):
            first, last = _date_bounds(value[len(op) :], column + len(op))
            if op == ">=":
                return DateRange(first, None, column)
            if op == "<=":
                return DateRange(None, last, column)
            if op == ">":
                return DateRange(_next_day(last), None, column)
            return DateRange(None, _previous_day(first), column)
    first, last = _date_bounds(value, column)
    return DateRange(first, last, column)


def _next_day(d: dt.date) -> dt.date | None:
    return d + dt.timedelta(days=1) if d < dt.date.max else d


def _previous_day(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=1) if d > dt.date.min else d


# -- compiling to Whoosh ---------------------------------------------------------------


@dataclass
class Pattern:
    """What to highlight in the body: consecutive stems (a word or a phrase) within `slop`."""

    words: tuple[str, ...]
    slop: int = 1


@dataclass
class QueryWord:
    """A plain query word, for "did you mean": its text, span in the query and term."""

    text: str
    start: int
    end: int
    term: str


@dataclass
class Compiled:
    """A query ready to run.

    `query` is what matches; `strict` (or None when it is the same) is the subset
    that matches every optional word, ranked above the rest.
    """

    query: wq.Query
    strict: wq.Query | None
    patterns: list[Pattern]
    expansions: list[wq.Query]
    words: list[QueryWord]
    #: What was cut to keep the query within the limits, one line each.
    notices: list[str] = field(default_factory=list)


class QueryStemFilter(Filter):
    """Stems query words from the index's stem cache; a word never indexed gets Whoosh's
    Porter2 stem (the same Snowball English algorithm), so a query never imports NLTK."""

    def __init__(self, stems: dict[str, str]) -> None:
        self.stems = stems

    def __call__(self, tokens):
        for t in tokens:
            if not getattr(t, "keep", False):
                t.text = self.stems.get(t.text) or porter2(t.text)
            yield t


def query_analyzer(analyzer):
    """`analyzer` with its Snowball stemmer replaced by `QueryStemFilter` (others unchanged)."""
    items = getattr(analyzer, "items", None)
    if not items or not any(isinstance(i, SnowballFilter) for i in items):
        return analyzer
    return CompositeAnalyzer(
        *(QueryStemFilter(i.stemmer.cache) if isinstance(i, SnowballFilter) else i for i in items)
    )


class _Compiler:
    def __init__(self, schema, expander: Expander) -> None:
        self.schema = schema
        self.expander = expander
        self.text_analyzer = query_analyzer(schema["body"].analyzer)
        self.name_analyzer = schema["source"].analyzer
        self.patterns: list[Pattern] = []
        self.expansions: list[wq.Query] = []
        self.words: list[QueryWord] = []
        self.notices: list[str] = []
        self.budget = MAX_TERMS  # terms left to search
        self.left_out: list[Word | Phrase] = []  # words past the budget

    # Each visitor returns (lenient, strict), either possibly None (nothing searchable).
    def visit(self, node: Node, positive: bool = True) -> tuple[wq.Query | None, wq.Query | None]:
        if isinstance(node, Group):
            return self.group(node, positive)
        if isinstance(node, BoolOp):
            pairs = [self.visit(c, positive) for c in node.children]
            cls = wq.And if node.op == "AND" else wq.Or
            return _combine(cls, [p[0] for p in pairs]), _combine(cls, [p[1] for p in pairs])
        if isinstance(node, Not):
            inner = self.visit(node.child, not positive)[0]
            q = wq.Not(inner) if inner is not None else None
            return q, q
        if isinstance(node, DateRange):
            q = _date_query(node)
            return q, q
        if self.budget <= 0:
            self.left_out.append(node)
            return None, None
        q = self.leaf(node, positive)
        return q, q

    def group(self, g: Group, positive: bool) -> tuple[wq.Query | None, wq.Query | None]:
        required, optional, restrictions, prohibited = [], [], [], []
        for occur, node in g.clauses:
            if occur == "-":
                q = self.visit(node, not positive)[0]
                if q is not None:
                    prohibited.append(q)
                continue
            pair = self.visit(node, positive)
            if pair[0] is None:
                continue
            kind = restrictions if _restricts(node) else required if occur == "+" else optional
            kind.append(pair)
        req = _combine(wq.And, [p[0] for p in required])
        opt = _combine(wq.Or, [p[0] for p in optional])
        words = wq.AndMaybe(req, opt) if req and opt else req or opt
        base = _combine(wq.And, [p[0] for p in restrictions] + [words])
        strict = _combine(wq.And, [p[1] for p in restrictions + required + optional])
        if prohibited:
            neg = _combine(wq.Or, prohibited)
            base = wq.AndNot(base or wq.Every(), neg)
            strict = wq.AndNot(strict or wq.Every(), neg)
        if g.boost != 1.0 and base is not None:
            base, strict = _boosted(base, g.boost), _boosted(strict, g.boost)
        return base, strict

    def leaf(self, node: Word | Phrase, positive: bool) -> wq.Query | None:
        fields = [node.field] if node.field else list(DEFAULT_FIELDS)
        if isinstance(node, Word) and any(c in node.text for c in "*?"):
            if len(node.text) <= MAX_PATTERN_CHARS:
                return self.wildcard(node, fields, positive)
            self._as_typed(node, "wildcard pattern")
        name_field = node.field in NAME_QUERY_FIELDS
        analyzer = self.name_analyzer if name_field else self.text_analyzer
        tokens = [(t.text, t.pos) for t in analyzer(node.text, positions=True)]
        if not tokens:
            return None
        if len(tokens) > MAX_PHRASE_WORDS:
            self.notices.append(
                f"the phrase at column {node.column} has {len(tokens):,} words: "
                f"matched its first {MAX_PHRASE_WORDS}"
            )
            tokens = tokens[:MAX_PHRASE_WORDS]
        words = [w for w, _ in tokens]
        if isinstance(node, Word) and node.fuzzy is not None and len(words) == 1:
            if len(words[0]) <= MAX_PATTERN_CHARS:
                return self.expanded(node, fields, positive, words[0], node.fuzzy)
            self._as_typed(node, "fuzzy word")
        self.budget -= 1
        gaps = [b - a for (_, a), (_, b) in zip(tokens, tokens[1:], strict=False)]
        slop = max(gaps, default=1) + (node.slop if isinstance(node, Phrase) else 0)
        if len(words) == 1:
            qs = [wq.Term(f, words[0], boost=node.boost) for f in fields]
        else:
            qs = [wq.Phrase(f, words, slop=slop, boost=node.boost) for f in fields]
        if positive:
            self._remember(node, words, slop, name_field)
        return _combine(wq.Or, qs)

    def _remember(self, node: Word | Phrase, words: list[str], slop: int, name_field: bool) -> None:
        if name_field:  # highlight a name in the body as the body analyzer sees it
            words = [t.text for t in self.text_analyzer(node.text)]
            slop = max(slop, 2)
        if words:
            self.patterns.append(Pattern(tuple(words), slop))
        if isinstance(node, Word) and node.field in (None, *TEXT_QUERY_FIELDS) and len(words) == 1:
            self.words.append(
                QueryWord(node.text, node.column - 1, node.column - 1 + len(node.text), words[0])
            )

    def wildcard(self, node: Word, fields: list[str], positive: bool) -> wq.Query | None:
        pattern = "".join(
            normalize_word(part) if part not in "*?" else part
            for part in re.split(r"([*?])", node.text)
        )
        if not pattern.strip("*?"):
            self.budget -= 1
            return wq.Every()
        return self.expanded(node, fields, positive, pattern, None)

    def expanded(
        self, node: Word, fields: list[str], positive: bool, text: str, fuzzy: int | None
    ) -> wq.Query:
        """A wildcard pattern or fuzzy word as the commonest indexed words it stands for,
        at most `MAX_EXPANSIONS` and the terms left in the budget."""
        limit = min(MAX_EXPANSIONS, self.budget)

        def expand(f: str) -> Expansion:
            if fuzzy is not None:
                return self.expander.fuzzy(f, text, fuzzy, limit)
            return self.expander.wildcard(f, text, limit)

        found = {f: expand(f) for f in fields}
        if positive and node.field in (None, *TEXT_QUERY_FIELDS):
            body = found["body"] if "body" in found else expand("body")
            if body.words:
                self.expansions.append(wq.Or([wq.Term("body", w) for w in body.words]))
        if any(e.more for e in found.values()):
            self.notices.append(
                f"'{node.text}{'~' if fuzzy is not None else ''}' stands for more than {limit} "
                f"indexed words: searched the {limit} commonest"
            )
        self.budget -= max(1, *(len(e.words) for e in found.values()))
        qs = [
            wq.Or([wq.Term(f, w, boost=node.boost) for w in e.words])
            for f, e in found.items()
            if e.words
        ]
        return _combine(wq.Or, qs) or NoWords()

    def _as_typed(self, node: Word, what: str) -> None:
        self.notices.append(
            f"the {what} at column {node.column} is longer than {MAX_PATTERN_CHARS} letters: "
            "searched as typed"
        )

    def left_out_notice(self) -> str | None:
        """One line on the words past the term budget, if any."""
        if not self.left_out:
            return None
        n = len(self.left_out)
        return (
            f"a query searches at most {MAX_TERMS} terms: {n:,} more word{'s' if n > 1 else ''}"
            f" from column {self.left_out[0].column} on {'were' if n > 1 else 'was'} left out"
        )


class NoWords(wq.Query):
    """Matches nothing: a wildcard or fuzzy word that stands for no indexed word.

    Not Whoosh's `NullQuery`, which normalising drops from an AND (so that
    `oil AND zzz*` would find oil) rather than making the AND match nothing.
    """

    fieldname = None
    boost = 1.0

    def __eq__(self, other: object) -> bool:
        return type(other) is NoWords

    def __hash__(self) -> int:
        return hash(NoWords)

    def estimate_size(self, ixreader) -> int:
        return 0

    def matcher(self, searcher, context=None):
        from whoosh.matching import NullMatcher

        return NullMatcher()


def _restricts(node: Node) -> bool:
    """Dates and names restrict a free-text query rather than add words to it."""
    return isinstance(node, DateRange) or (
        isinstance(node, Word | Phrase) and node.field in NAME_QUERY_FIELDS
    )


def _combine(cls, queries: list[wq.Query | None]) -> wq.Query | None:
    qs = [q for q in queries if q is not None]
    if not qs:
        return None
    return qs[0] if len(qs) == 1 else cls(qs)


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    q = q.copy()
    q.boost = q.boost * boost
    return q


def _date_query(node: DateRange) -> wq.Query:
    start = dt.datetime.combine(node.start, dt.time.min) if node.start else None
    end = dt.datetime.combine(node.end, dt.time.max) if node.end else None
    return wq.DateRange("date", start, end)


def compile_query(tree: Group, schema, expander: Expander) -> Compiled:
    """The Whoosh queries for a parsed query, with what to highlight and which words to
    check; wildcards and fuzzy words are expanded by `expander` (one index's words)."""
    c = _Compiler(schema, expander)
    lenient, strict = c.visit(tree)
    notices = [*c.notices, *filter(None, [c.left_out_notice()])]
    if lenient is None:
        return Compiled(wq.NullQuery, None, [], [], c.words, notices)
    lenient = lenient.normalize()
    strict = strict.normalize() if strict is not None and strict != lenient else None
    return Compiled(lenient, strict, c.patterns, c.expansions, c.words, notices)


def read_query(text: str, schema, expander: Expander) -> tuple[Group, Compiled]:
    """`text` parsed and compiled within the limits; a query longer than
    `MAX_QUERY_CHARS` is read up to its last space before the limit."""
    cut = None
    if len(text) > MAX_QUERY_CHARS:
        length = len(text)
        head = text[:MAX_QUERY_CHARS]
        space = head.rfind(" ")
        text = head[:space] if space > MAX_QUERY_CHARS // 2 else head
        cut = f"the query is {length:,} characters long: read its first {len(text):,}"
    tree = parse(text)
    compiled = compile_query(tree, schema, expander)
    if cut:
        compiled.notices.insert(0, cut)
    return tree, compiled
