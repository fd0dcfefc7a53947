"""`searchkit eval`: TREC measures checked against ir-measures, files, and the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import ir_measures
import pytest
from ir_measures import AP, P, R, nDCG
from notices import without_nltk_notices

from searchkit.errors import SearchkitError
from searchkit.evaluation import (
    MEASURES,
    evaluate,
    mean_measures,
    read_qrels,
    read_topics,
    render_evaluation,
    score_run,
)
from searchkit.index import Index
from searchkit.query.language import MAX_TERMS
from searchkit.results import Hit, Results
from searchkit.ui.cli import main

EVAL = Path(__file__).parent / "data" / "eval"
TOPICS, QRELS = EVAL / "seeds.topics", EVAL / "seeds.qrels"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REFERENCE = {"nDCG@10": nDCG @ 10, "MAP": AP, "P@10": P @ 10, "Recall@100": R @ 100}


def reference_scores(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict:
    """Per-topic values from ir-measures (scores strictly decreasing, so rank order holds)."""
    judged = [ir_measures.Qrel(t, d, g) for t, docs in qrels.items() for d, g in docs.items()]
    scored = [
        ir_measures.ScoredDoc(t, d, float(len(ranking) - i))
        for t, ranking in run.items()
        for i, d in enumerate(ranking)
    ]
    names = {v: k for k, v in REFERENCE.items()}
    out: dict[str, dict[str, float]] = {}
    for m in ir_measures.iter_calc(list(REFERENCE.values()), judged, scored):
        out.setdefault(m.query_id, {})[names[m.measure]] = m.value
    return out


def assert_matches_reference(run, qrels) -> None:
    mine, ref = score_run(run, qrels), reference_scores(run, qrels)
    assert set(mine) == set(ref)
    for topic, values in ref.items():
        for measure, value in values.items():
            assert mine[topic][measure] == pytest.approx(value, abs=1e-9), (topic, measure)


@pytest.mark.parametrize("seed", range(5))
def test_measures_match_ir_measures_on_random_runs(seed):
    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(300)]
    qrels = {
        f"q{t}": {d: rng.choice((0, 0, 1, 2, 3, -1)) for d in rng.sample(docs, rng.randint(1, 40))}
        for t in range(25)
    }
    run = {t: rng.sample(docs, rng.randint(1, 120)) for t in qrels}
    assert_matches_reference(run, qrels)


def test_measures_match_ir_measures_on_seed_collection_runs():
    qrels = read_qrels(QRELS)
    rng = random.Random(7)
    docs = sorted({d for judged in qrels.values() for d in judged})
    run = {t: rng.sample(docs, len(docs)) for t in qrels}
    assert_matches_reference(run, qrels)


def test_ideal_run_scores_one_and_reversed_run_scores_less():
    qrels = read_qrels(QRELS)
    ideal = {t: sorted(j, key=lambda d: -j[d]) for t, j in qrels.items()}
    means = mean_measures(score_run(ideal, qrels))
    assert means["nDCG@10"] == pytest.approx(1.0)
    assert means["MAP"] == pytest.approx(1.0)
    assert means["Recall@100"] == pytest.approx(1.0)
    # Fewer than ten relevant articles per topic caps P@10 below 1.
    expected_p10 = sum(min(10, sum(g >= 1 for g in j.values())) / 10 for j in qrels.values()) / len(
        qrels
    )
    assert means["P@10"] == pytest.approx(expected_p10)
    worst = mean_measures(score_run({t: r[::-1] for t, r in ideal.items()}, qrels))
    assert worst["nDCG@10"] < 1.0 and worst["MAP"] < 1.0


def test_graded_relevance_counts_in_ndcg_only():
    qrels = {"t": {"a": 2, "b": 1}}
    better, worse = score_run({"t": ["a", "b"]}, qrels), score_run({"t": ["b", "a"]}, qrels)
    assert better["t"]["nDCG@10"] == pytest.approx(1.0)
    assert worse["t"]["nDCG@10"] < 1.0
    assert better["t"]["MAP"] == worse["t"]["MAP"] == pytest.approx(1.0)


class FakeIndex:
    """Answers each query with a fixed ranking (a topic's run)."""

    def __init__(self, rankings: dict[str, list[str]]) -> None:
        self.rankings = rankings
        self.limits: list[int] = []

    def search(self, query: str, limit: int = 10, **_) -> Results:
        self.limits.append(limit)
        ids = self.rankings.get(query, [])[:limit]
        hits = [Hit(i + 1, d, "", "", "", None, 1.0 / (i + 1)) for i, d in enumerate(ids)]
        return Results(query=query, total=len(ids), page=1, limit=limit, hits=hits)


def test_evaluate_skips_unjudged_topics_and_scores_empty_results_zero(tmp_path):
    topics = tmp_path / "t.topics"
    topics.write_text("# comment\n1\talpha\n2\tbeta\n\n3\tgamma\n", encoding="utf-8")
    qrels = tmp_path / "t.qrels"
    qrels.write_text("1 0 a 1\n1 0 b 0\n3 0 c 2\n", encoding="utf-8")
    index = FakeIndex({"alpha": ["a", "b"], "gamma": []})
    report = evaluate(index, topics, qrels)
    assert report.unjudged == ["2"]
    assert report.topics == 2
    assert report.per_topic["1"]["MAP"] == pytest.approx(1.0)
    assert all(v == 0.0 for v in report.per_topic["3"].values())
    assert report.means["MAP"] == pytest.approx(0.5)
    assert index.limits == [100, 100]
    text = render_evaluation(report)
    assert all(m in text for m in MEASURES) and "without judgements" in text
    assert json.loads(json.dumps(report.to_json()))["unjudged"] == ["2"]


@pytest.mark.parametrize(
    ("name", "text", "reader", "message"),
    [
        ("t.topics", "1 no tab here\n", read_topics, "t.topics:1:"),
        ("t.topics", "1\tx\n\n1\ty\n", read_topics, "t.topics:3: topic '1' appears twice"),
        ("t.topics", "\n# only a comment\n", read_topics, "no topics"),
        ("t.qrels", "1 0 a 1\n1 0 b\n", read_qrels, "t.qrels:2: expected 4 columns"),
        ("t.qrels", "1 0 a high\n", read_qrels, "t.qrels:1: relevance must be a whole number"),
    ],
)
def test_bad_files_raise_one_line_errors(tmp_path, name, text, reader, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SearchkitError, match=message) as e:
        reader(path)
    assert "\n" not in str(e.value)


def test_missing_file_is_a_searchkit_error(tmp_path):
    with pytest.raises(SearchkitError, match="no such file"):
        read_topics(tmp_path / "absent.topics")


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("seeds-index")
    with Index.create(directory) as index:
        index.add_paths([SEEDS], extract_entities=False)
    return directory


def test_seed_qrels_name_articles_in_the_seeds_index(seeds_index):
    with Index.open(seeds_index) as index:
        for doc in {d for judged in read_qrels(QRELS).values() for d in judged}:
            assert index.document(doc) is not None, doc


def test_cli_eval_prints_the_four_measures(seeds_index, capsys):
    assert (
        main(["eval", "--topics", str(TOPICS), "--qrels", str(QRELS), "--index", str(seeds_index)])
        == 0
    )
    out = capsys.readouterr().out
    mean_line = next(line for line in out.splitlines() if line.startswith("mean"))
    values = [float(v) for v in mean_line.split()[1:]]
    assert len(values) == 4 and all(0.0 <= v <= 1.0 for v in values)
    assert all(m in out for m in MEASURES)


def test_cli_eval_json(seeds_index, capsys):
    args = ["eval", "--topics", str(TOPICS), "--qrels", str(QRELS), "--index", str(seeds_index)]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["topics"] == len(read_topics(TOPICS))
    assert set(report["measures"]) == set(MEASURES)
    assert all(0.0 <= v <= 1.0 for v in report["measures"].values())
    # Relevant articles exist for every topic and the queries name them: something is found.
    assert report["measures"]["Recall@100"] > 0


def test_cli_eval_bad_qrels_exits_3_with_file_and_line(seeds_index, tmp_path, capsys):
    qrels = tmp_path / "bad.qrels"
    qrels.write_text("S1 0 x 1\nS1 0 y\n", encoding="utf-8")
    args = ["eval", "--topics", str(TOPICS), "--qrels", str(qrels), "--index", str(seeds_index)]
    assert main(args) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("searchkit: ") and "bad.qrels:2:" in err and "\n" not in err


def test_cli_eval_says_which_topics_queries_were_cut(seeds_index, tmp_path, capsys):
    topics = tmp_path / "long.topics"
    long_query = " ".join(f"huawei{i}" for i in range(MAX_TERMS + 5))
    topics.write_text(f"S1\t{long_query}\nS2\thuawei\n", encoding="utf-8")
    qrels = tmp_path / "long.qrels"
    qrels.write_text("S1 0 x 1\nS2 0 y 1\n", encoding="utf-8")
    args = ["eval", "--topics", str(topics), "--qrels", str(qrels), "--index", str(seeds_index)]
    assert main(args) == 0
    lines = without_nltk_notices(capsys.readouterr().err)
    assert len(lines) == 1
    assert lines[0].startswith(f"searchkit: notice: topic S1: a query searches at most {MAX_TERMS}")
    assert main([*args, "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["notices"] == [lines[0].removeprefix("searchkit: notice: ")]
    assert without_nltk_notices(err) == lines
