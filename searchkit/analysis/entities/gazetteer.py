"""Word lists that type entity names: NLTK's gazetteers and names corpora, plus cue words.

`Lexicon.load()` reads NLTK's `gazetteers`, `names`, `words` and `stopwords`
corpora when they are installed; the small built-in lists below (cue words,
major world cities, regions, common sentence openers) are always there, so the
rule-based fallback still has something to type names with.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (for writing word lists compactly)."""
    return frozenset(text.split())


def name_set(text: str) -> frozenset[str]:
    """The comma-separated names of `text` (names may contain spaces)."""
    return frozenset(" ".join(name.split()) for name in text.split(","))


#: Words that, right before a name, say it is a person's (titles, roles).
PERSON_CUES = word_set(
    """mr mr. mrs mrs. ms ms. dr dr. sen sen. gov gov. rep. prof prof. sir dame lord lady
    president president-elect vice-president premier minister chancellor ambassador
    secretary treasurer senator governor mayor judge justice spokesman spokeswoman spokesperson
    ceo cfo coo chairman chairwoman chair executive founder director officer chief
    businessman businesswoman entrepreneur diplomat professor lawyer attorney analyst
    economist leader king queen prince princess pope sheikh general colonel captain
    commissioner counsel adviser advisor fellow reporter journalist author"""
)

#: Words that make up a title before a name ("Foreign Affairs Minister", "Vice-President").
TITLE_WORDS = PERSON_CUES | word_set(
    """prime vice deputy foreign affairs finance trade innovation defence defense health
    justice industry public safety interior home energy environment agriculture state
    acting former senior assistant associate general federal provincial opposition
    conservative liberal democratic republican labour labor financial operating"""
)

#: Last words of an organisation name (after which a name is an org).
ORG_HEADS = word_set(
    """co co. ltd ltd. inc inc. corp corp. llc plc limited corporation company companies
    group holdings technologies university college institute school academy department
    ministry agency bank party forum council committee commission association federation
    union organization organisation foundation fund board bureau authority court
    congress parliament senate assembly office service services news press times post
    journal herald network broadcasting airlines airways motors industries systems
    securities exchange reserve trust partners capital communications telecom
    alliance league society club church army navy police bancorp bancshares financial
    petroleum oil energy resources mining mines steel foods products pharmaceuticals
    electronics chemical chemicals manufacturing insurance international investments
    enterprises laboratories partnership properties realty savings stores utilities
    electric railroad railway shipping"""
)

#: First words of "<Head> of <Name>" organisations.
ORG_OF_HEADS = word_set(
    """university bank ministry department institute bureau office council court house
    board commission school college academy federation association league"""
)

#: One-word organisations: institutions (when capitalised) and news agencies.
INSTITUTIONS = word_set(
    "congress parliament senate pentagon kremlin nato opec cabinet bundestag duma "
    "reuters afp bloomberg xinhua un eu ec imf gatt oecd"
)

#: Last words of multi-word place names ("Quebec City", "Cayman Islands").
PLACE_HEADS = word_set(
    """city county province state island islands bay valley mountains river lake beach
    falls springs heights harbour harbor coast peninsula strait gulf sea ocean"""
)

#: Words right before a name that suggest a place.
PLACE_PREPOSITIONS = word_set("in from near across throughout")

#: Words before a name that say it is an organisation ("telecom giant Huawei").
ORG_CUES = word_set(
    """company firm giant maker manufacturer carrier operator retailer bank insurer
    lender group agency broadcaster newspaper airline conglomerate subsidiary
    institution automaker alliance allies summit"""
)

#: Words that are never names on their own.
CALENDAR = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan jan. feb feb.
    mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. nov nov.
    dec dec."""
)

#: Major world cities and regions, which NLTK's gazetteers (countries, US cities,
#: provinces) do not list. General knowledge, not tuned to any article.
WORLD_PLACES = name_set(
    """Beijing, Shanghai, Hong Kong, Shenzhen, Guangzhou, Wuhan, Taipei, Tokyo,
    Osaka, Seoul, Pyongyang, Singapore, Bangkok, Hanoi, Manila, Jakarta, Kuala Lumpur,
    New Delhi, Delhi, Mumbai, Karachi, Islamabad, Kabul, Tehran, Baghdad, Riyadh, Dubai,
    Doha, Jerusalem, Tel Aviv, Cairo, Beirut, Damascus, Ankara, Istanbul, Moscow, Kyiv,
    Kiev, Warsaw, Berlin, Frankfurt, Munich, Paris, London, Brussels, Amsterdam, The Hague,
    Geneva, Zurich, Davos, Vienna, Rome, Milan, Madrid, Barcelona, Lisbon, Athens,
    Stockholm, Oslo, Copenhagen, Helsinki, Dublin, Edinburgh, Prague, Budapest, Ottawa,
    Toronto, Montreal, Vancouver, Calgary, Edmonton, Winnipeg, Halifax, Quebec City,
    Washington, New York, Los Angeles, Chicago, Boston, San Francisco, Seattle, Houston,
    Miami, Mexico City, Havana, Caracas, Bogota, Lima, Santiago, Buenos Aires, Brasilia,
    Sao Paulo, Rio de Janeiro, Sydney, Melbourne, Canberra, Wellington, Auckland,
    Johannesburg, Cape Town, Nairobi, Lagos, Abuja, Addis Ababa, Europe, Asia, Africa,
    Americas, North America, South America, Latin America, Middle East, Arctic,
    Antarctica, Caribbean, Scandinavia, Balkans, Siberia, Tibet, Xinjiang, Taiwan, Crimea,
    Gaza, Kashmir"""
)

#: Countries most often in the news, and their nationality words: a floor under
#: NLTK's gazetteers, so the fallback without NLTK data still knows them.
COUNTRIES = name_set(
    """Canada, China, United States, United Kingdom, Britain, France, Germany, Italy, Spain,
    Portugal, Japan, South Korea, North Korea, India, Pakistan, Russia, Ukraine, Poland,
    Brazil, Mexico, Argentina, Chile, Peru, Colombia, Venezuela, Cuba, Australia,
    New Zealand, Iran, Iraq, Israel, Syria, Saudi Arabia, Turkey, Egypt, South Africa,
    Nigeria, Kenya, Switzerland, Netherlands, Belgium, Sweden, Norway, Denmark, Finland,
    Ireland, Greece, Austria, Indonesia, Singapore, Vietnam, Philippines, Thailand, Malaysia,
    West Germany, East Germany, Soviet Union, Yugoslavia, Czechoslovakia"""
)
NATIONALITIES = name_set(
    """American, Americans, Canadian, Canadians, Chinese, British, French, German, Germans,
    West German, East German, Soviet, Italian, Spanish, Japanese, Korean, South Korean,
    Indian, Pakistani, Russian, Russians, Ukrainian, Polish, Brazilian, Mexican, Argentine,
    Chilean, Venezuelan, Cuban, Australian, Iranian, Iraqi, Israeli, Syrian, Saudi,
    Turkish, Egyptian, African, South African, Swiss, Dutch, Belgian, Swedish, Norwegian,
    Danish, Irish, Greek, European, Asian, Western, Eastern, Northern, Southern"""
)

#: Function words and adverbs that open sentences ("The", "However"): never a name's start.
COMMON_OPENERS = word_set(
    """a an the this that these those there here it its he she they we you i his her their
    our my but and or so if when while after before as at by for from in into of on to
    with without however meanwhile also still yet even last next earlier later today
    tomorrow yesterday many most some several other another each every both all any no
    not one two three four five six seven eight nine ten first second third new more
    less what which who whom whose why how where according despite since until although
    though because among between during under over about against further shortly
    sources officials analysts"""
)


def _clean(word: str) -> str:
    return word.strip().lower()


@dataclass
class Lexicon:
    """Lower-cased word sets used to type names; empty sets where data is missing."""

    places: set[str] = field(default_factory=set)  # countries, states, provinces, cities
    weak_places: set[str] = field(default_factory=set)  # US cities: many are also surnames
    nationalities: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)
    common: set[str] = field(default_factory=set)  # ordinary lower-case English words
    openers: set[str] = field(default_factory=set)  # function words, adverbs

    @classmethod
    def load(cls, corpora: dict[str, bool]) -> Lexicon:
        """Read the NLTK corpora marked available in `corpora`, plus the built-in lists."""
        lex = cls(
            places={_clean(p) for p in WORLD_PLACES | COUNTRIES},
            nationalities={_clean(n) for n in NATIONALITIES},
            openers=set(COMMON_OPENERS),
        )
        if corpora.get("gazetteers"):
            from nltk.corpus import gazetteers

            for fileid in ("countries.txt", "isocountries.txt", "usstates.txt", "caprovinces.txt"):
                lex.places.update(_clean(w) for w in gazetteers.words(fileid))
            lex.weak_places.update(_clean(w) for w in gazetteers.words("uscities.txt"))
            lex.nationalities.update(_clean(w) for w in gazetteers.words("nationalities.txt"))
        if corpora.get("names"):
            from nltk.corpus import names

            lex.first_names.update(_clean(w) for w in names.words())
        if corpora.get("words"):
            from nltk.corpus import words

            lex.common.update(w for w in words.words("en") if w.islower())
        if corpora.get("stopwords"):
            from nltk.corpus import stopwords

            lex.openers.update(stopwords.words("english"))
        lex.nationalities.update(_demonyms(lex.nationalities))
        lex.common |= lex.openers | CALENDAR
        return lex

    def is_common(self, word: str) -> bool:
        """An ordinary English word, also in the plural ("Securities", "Eyes")."""
        low = word.lower()
        if low in self.common:
            return True
        if low.endswith("ies") and low[:-3] + "y" in self.common:
            return True
        return low.endswith("s") and low[:-1] in self.common


def _demonyms(nationalities: set[str]) -> set[str]:
    """Plural forms of nationalities ("Canadians"), which are people, not entities."""
    return {n + "s" for n in nationalities if not n.endswith(("s", "sh", "ch", "ese"))}
