"""Where an OpenSearch index is: the locations `--index` will accept."""

from __future__ import annotations

import pytest

from searchkit.backends.opensearch.connection import is_location, parse_location
from searchkit.errors import IndexOpenError


def test_opensearch_scheme_is_plain_http_with_the_index_name() -> None:
    loc = parse_location("opensearch://127.0.0.1:9201/news")
    assert (loc.url, loc.index, loc.username) == ("http://127.0.0.1:9201", "news", None)


def test_https_with_credentials_keeps_them_out_of_the_printed_location() -> None:
    loc = parse_location("https://ada:s%40cret@search.example:9443/wire-2019")
    assert (loc.username, loc.password, loc.port) == ("ada", "s@cret", 9443)
    assert str(loc) == "https://search.example:9443/wire-2019"


def test_folders_are_not_locations() -> None:
    assert is_location("opensearch://h:1/x")
    assert not is_location("index")
    assert not is_location("/data/index")
    assert not is_location("C:/index")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("opensearch://host:9200", "no index name"),
        ("opensearch://host:9200/News", "bad OpenSearch index name"),
        ("opensearch://host:port/news", "bad port"),
        ("https://ada:secret@host:x/news", "ada:***@"),
    ],
)
def test_bad_locations_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(IndexOpenError, match=message.replace("*", r"\*")) as e:
        parse_location(text)
    assert "secret" not in str(e.value) and "\n" not in str(e.value)
