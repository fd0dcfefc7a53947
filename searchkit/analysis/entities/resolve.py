"""From mentions to entities: which mentions name the same thing, its type, its one name.

Mentions are grouped by canonical form ("U.S." = "United States", "Huawei
Technologies Co. Ltd." = "Huawei"), by shorter forms of a person's name
("Meng", "Ms. Meng" -> "Meng Wanzhou"), and by acronyms of the article's
organisations; a name typed once types its other mentions. See
`searchkit.analysis.entities.aliases` for the naming rules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from ...document import ENTITY_TYPES, Entities
from .aliases import canonical_org, canonical_place, initials, is_place_alias, short_org
from .classify import best_type, is_acronym, is_org_name, type_by_words, weak_common_word
from .gazetteer import Lexicon
from .mentions import Mention


def resolve(mentions: list[Mention], lex: Lexicon) -> Entities:
    """Group mentions into entities, type each group, and name it canonically."""
    by_name: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.name:
            by_name[m.name].append(m)
    names = list(by_name)
    g = _Groups({n: sum((m.scores for m in by_name[n]), Counter()) for n in names})
    # Same canonical form: "U.S." = "United States"; "Huawei Technologies Co. Ltd." = "Huawei".
    keys: dict[str, str] = {}
    for n in names:
        if is_place_alias(n):
            key = canonical_place(n)
        else:
            key = n if g.kind(n) == "person" else canonical_org(n)
        if key.lower() in keys:
            g.union(keys[key.lower()], n)
        else:
            keys[key.lower()] = n
    for n in names:  # "Huawei Technologies" next to "Huawei"
        short = short_org(canonical_org(n)).lower()
        if short != canonical_org(n).lower() and short in keys:
            g.union(keys[short], n)
    # A name that starts with an organisation of this article is one ("Huawei Canada").
    for n in names:
        first = n.split()[0]
        if first != n and first in g.parent and g.kind(first) == "org":
            g.total(n)["org"] += 3
    # People: a shorter form whose words all belong to exactly one longer person
    # name. A one-word form joins it whatever it was typed as ("Spavor" once read
    # as an organisation); the full name's evidence then decides alone.
    for short in names:
        words = set(short.split())
        if g.kind(short) not in ("person", None) and len(words) > 1:
            continue
        longer = {
            g.find(n)
            for n in names
            if len(n.split()) > len(words)
            and words <= set(n.split())
            and g.kind(n) in ("person", None)
        }
        if not longer and len(words) == 1 and g.kind(short) == "person":
            # "Bains" said and told: the one full name ending in it is his, even
            # where the tagger read "Navdeep Bains" as something else; evidence sums.
            longer = {
                g.find(n)
                for n in names
                if 1 < len(n.split()) <= 3
                and n.split()[-1] == short
                and not is_org_name(n.split())
                and g.kind(n) != "place"
            }
        if len(longer) == 1:
            root = longer.pop()
            if g.kind(short) in ("person", None):
                g.union(root, short)
            elif g.kind(root) == "person" and g.find(short) == short:
                g.absorb(root, short)
    # Acronyms of an organisation in the article ("CBC" for "Canadian Broadcasting Corporation").
    spelled_out = {initials(n): n for n in names}
    for n in names:
        if is_acronym(n) and n in spelled_out and spelled_out[n] != n:
            g.union(spelled_out[n], n)

    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[g.find(n)].append(n)
    kinds = {root: g.kind(root) for root in groups}
    _type_by_lists(mentions, kinds, g.find)
    first = {root: min(m.order for n in ms for m in by_name[n]) for root, ms in groups.items()}
    entities = Entities()
    seen: set[tuple[str, str]] = set()
    for root in sorted(groups, key=first.__getitem__):
        members = groups[root]
        kind = kinds[root] or type_by_words(members, lex)
        if kind in (None, "junk") or weak_common_word(members, g.total(root), lex):
            continue
        name = _display(members, kind, lex)
        if name and (kind, name.lower()) not in seen:
            seen.add((kind, name.lower()))
            getattr(entities, kind).append(name)
        # A city is also its team: "In Montreal, ..." and "Montreal lost" are a place
        # and a club when the tagger is sure of each.
        other = _TWIN.get(kind)
        if other and any(m.tagged == other for n in members for m in by_name[n]):
            twin = _display(members, other, lex)
            if twin and (other, twin.lower()) not in seen:
                seen.add((other, twin.lower()))
                getattr(entities, other).append(twin)
    return entities


_TWIN = {"place": "org", "org": "place"}


class _Groups:
    """Union-find over names, keeping the summed type evidence of each group."""

    def __init__(self, scores: dict[str, Counter]) -> None:
        self.parent = {n: n for n in scores}
        self.totals = {n: Counter(c) for n, c in scores.items()}

    def find(self, n: str) -> str:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.totals[ra] += self.totals.pop(rb)

    def absorb(self, a: str, b: str) -> None:
        """Make b's group part of a's without its type evidence."""
        self.parent[self.find(b)] = self.find(a)

    def total(self, n: str) -> Counter:
        return self.totals[self.find(n)]

    def kind(self, n: str) -> str | None:
        return best_type(self.total(n))


def _type_by_lists(
    mentions: list[Mention], kinds: dict[str, str | None], find: Callable[[str], str]
) -> None:
    """Untyped names in a list ("Waterloo, Edmonton and Markham") take the list's type."""
    lists: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.group >= 0 and m.name:
            lists[m.group].append(find(m.name))
    for roots in lists.values():
        votes = Counter(kinds[r] for r in roots if kinds.get(r) in ENTITY_TYPES)
        if votes:
            kind = votes.most_common(1)[0][0]
            for r in roots:
                if kinds.get(r) is None:
                    kinds[r] = kind


def _display(members: list[str], kind: str, lex: Lexicon) -> str:
    """The canonical name of a group: longest person form, place alias, shortest
    spelled-out organisation name; as the text writes it rather than in a
    headline's capitals ("Leicestershire", not "LEICESTERSHIRE")."""
    longest = max(members, key=lambda n: (len(n.split()), len(n), not n.isupper()))
    longest = _recase(longest, lex)
    if kind == "person":
        return longest
    if kind == "place":
        return canonical_place(longest)
    spelled = [canonical_org(n) for n in members if not is_acronym(n)]
    shortest = min(spelled or [canonical_org(longest)], key=lambda n: (len(n.split()), len(n)))
    return _recase(shortest, lex)


def _recase(name: str, lex: Lexicon) -> str:
    """A name in capitals, title-cased word by word where the word is longer
    than an acronym or a known word ("OHIO MATTRESS" -> "Ohio Mattress"; "USX",
    "NATO" stay)."""
    if not name.isupper():
        return name
    return " ".join(
        w.title() if len(w) > 4 or _known_word(w.lower(), lex) else w for w in name.split()
    )


def _known_word(low: str, lex: Lexicon) -> bool:
    return low in lex.places or low in lex.common or low in lex.first_names
