"""`searchkit eval-entities`: scoring stored names against CoNLL-annotated news.

tests/data/tiny.conll holds two hand-annotated articles; the scores of a fixed
extractor on it are worked out by hand below. The development split of
CoNLL-2003, where present beside the project, checks the extractor's targets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchkit.analysis.entities.conll import read_conll
from searchkit.analysis.entities.evaluate import evaluate_conll, gold_entities, score_documents
from searchkit.document import Entities
from searchkit.ui.cli import main

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.conll"
VALID = ROOT.parent / "shared" / "corpora" / "conll2003" / "valid.txt"

#: What a fixed extractor "finds" in each tiny article (keyed by headline).
FOUND = {
    "SOCCER - ARSENAL WIN.": Entities(
        person=["Wenger", "Arsene Wenger"],
        org=["Arsenal"],
        place=["London", "Chelsea", "English", "U.S."],
    ),
    "Talks end": Entities(person=["Bill Clinton"], org=["Kremlin"], place=["Moscow"]),
}


def test_articles_read_as_headline_and_one_line_per_sentence():
    docs = read_conll(TINY)
    assert [d.text()[0] for d in docs] == list(FOUND)
    assert docs[0].text()[1] == (
        "LONDON 1996-08-30\n"
        "Arsenal beat Chelsea, manager Arsene Wenger said.\n"
        "Wenger praised the English fans in the U.S."
    )


def test_gold_names_are_canonical_distinct_and_typed():
    gold = gold_entities(read_conll(TINY)[0])
    assert gold.person == ["Arsene Wenger"]  # "Wenger" is the same man
    assert gold.org == ["ARSENAL", "Chelsea"]  # "Arsenal" is ARSENAL, case aside
    assert gold.place == ["LONDON", "United States"]  # MISC "English" has no field


def test_scores_match_the_hand_count():
    scores = score_documents(read_conll(TINY), lambda title, body: FOUND[title])
    got = scores.to_json()
    # person: Arsene Wenger, Bill Clinton found; Boris Yeltsin missed.
    assert got["types"]["person"] == {
        "precision": 1.0, "recall": 0.6667, "f1": 0.8, "tp": 2, "predicted": 2, "gold": 3
    }  # fmt: skip
    # org: Arsenal right, Chelsea missed, Kremlin not marked.
    assert got["types"]["org"] == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "predicted": 2, "gold": 2
    }  # fmt: skip
    # place: London, United States, Moscow right; Chelsea (an org) and English (MISC) wrong.
    assert got["types"]["place"] == {
        "precision": 0.6, "recall": 1.0, "f1": 0.75, "tp": 3, "predicted": 5, "gold": 3
    }  # fmt: skip
    assert got["all"] == {
        "precision": 0.6667, "recall": 0.75, "f1": 0.7059, "tp": 6, "predicted": 9, "gold": 8
    }  # fmt: skip
    assert got["misc_predicted"] == 1 and got["documents"] == 2


def test_cli_prints_the_table_and_json(capsys):
    assert main(["eval-entities", "--conll", str(TINY)]) == 0
    table = capsys.readouterr().out
    assert "2 articles" in table
    for row in ("person", "org", "place", "all"):
        assert any(line.startswith(row) for line in table.splitlines()), row
    assert main(["eval-entities", "--conll", str(TINY), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got) == {"documents", "types", "all", "misc_predicted"}
    assert [got["types"][k]["gold"] for k in ("person", "org", "place")] == [3, 2, 3]
    for c in [*got["types"].values(), got["all"]]:
        p, r = c["tp"] / max(c["predicted"], 1), c["tp"] / c["gold"]
        assert c["precision"] == round(p, 4) and c["recall"] == round(r, 4)


def test_bad_files_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.conll"
    bad.write_text("-DOCSTART- O\n\nLondon B-LOC\nbroken line here\n", "utf-8")
    assert main(["eval-entities", "--conll", str(bad)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{bad}:4:" in err[0]
    assert main(["eval-entities", "--conll", str(tmp_path / "missing.conll")]) == 3
    assert "cannot read" in capsys.readouterr().err


def test_development_split_reaches_the_targets(capsys):
    if not VALID.exists():
        pytest.skip(
            f"CoNLL-2003 not found at {VALID} (../shared/corpora/conll2003 beside the project)"
        )
    from searchkit.analysis.entities import EntityExtractor

    extractor = EntityExtractor()
    if not (extractor.uses_tagger and extractor.full_lists):
        pytest.skip("NLTK word lists not installed (set NLTK_DATA)")
    scores = evaluate_conll(VALID, extractor.extract)
    with capsys.disabled():
        print(f"\nCoNLL-2003 valid: {json.dumps(scores.to_json())}")
    assert scores.all.f1 >= 0.85
    assert scores.types["org"].recall >= 0.80
    assert all(c.f1 >= 0.80 for c in scores.types.values())
