"""Highlighting the line being typed."""

from __future__ import annotations

from prompt_toolkit.document import Document

from searchkit.ui.shell.lexer import QueryLexer, tokenize

COMMANDS = ("next", "prev", "filter", "quit")


def styles(line: str) -> dict[str, str]:
    """text -> style class of every non-blank token."""
    return {text: style for style, text in tokenize(line, COMMANDS) if text.strip()}


def test_tokens_cover_the_whole_line():
    line = 'huawei AND person:"Justin Trudeau" -canola (5g OR zte) date:[2019 to *] "open'
    assert "".join(text for _, text in tokenize(line, COMMANDS)) == line


def test_fields_phrases_operators_and_dates_are_styled():
    s = styles('huawei AND person:"Justin Trudeau" NOT zte -canola date:2019-05 huaw*')
    assert s["huawei"] == ""
    assert s["AND"] == s["NOT"] == s["-"] == "class:operator"
    assert s["person:"] == "class:field"
    assert s['"Justin Trudeau"'] == "class:phrase"
    assert s["date:"] == "class:field"
    assert s["2019-05"] == "class:date"
    assert s["huaw*"] == "class:wildcard"


def test_an_unclosed_quote_is_an_error_up_to_the_end_of_the_line():
    s = styles('canada "deferred prosecution')
    assert s['"deferred prosecution'] == "class:error"
    assert s["canada"] == ""


def test_unmatched_brackets_are_errors_but_matched_ones_are_not():
    assert styles("title:(")["("] == "class:error"
    s = styles("(huawei OR zte)) 5g")
    assert [st for st, t in tokenize("(huawei OR zte)) 5g") if t in "()"] == [
        "class:bracket",
        "class:bracket",
        "class:error",
    ]
    assert s["huawei"] == ""


def test_an_unknown_field_is_flagged_but_a_lowercase_operator_word_is_plain():
    s = styles("colour:red and blue")
    assert s["colour:"] == "class:unknown-field"
    assert s["and"] == ""


def test_commands_known_or_being_typed_are_styled_and_unknown_ones_are_errors():
    assert styles(":ne")[":ne"] == "class:command"
    assert styles(":Next")[":Next"] == "class:command"
    assert styles(":bogus")[":bogus"] == "class:error"
    s = styles(':filter source:"IT World Canada"')
    assert s[":filter"] == "class:command"
    assert s["source:"] == "class:field"
    assert s['"IT World Canada"'] == "class:phrase"


def test_lexer_gives_prompt_toolkit_one_list_per_line():
    get_line = QueryLexer(COMMANDS).lex_document(Document('person:"Meng'))
    assert get_line(0) == [("class:field", "person:"), ("class:error", '"Meng')]
    assert get_line(5) == []
