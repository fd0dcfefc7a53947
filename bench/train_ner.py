"""Train searchkit's name tagger (a CRF) on CoNLL-2003 and write it into the package.

    export NLTK_DATA=/work/shared/nltk_data
    .venv/bin/python bench/train_ner.py            # ../shared/corpora/conll2003 by default

Learns on train.txt with NLTK's `CRFTagger` (python-crfsuite, L-BFGS with
L1 + L2 regularisation) over the features of `searchkit.analysis.entities.crf`, then
prints per-mention precision/recall/F1 on valid.txt (the development split,
where the settings below were chosen) and writes
`searchkit/analysis/entities/data/ner.crfsuite`. The word-list features read NLTK's
`gazetteers`, `names`, `words` and `stopwords` corpora: train with them
installed. Training is deterministic for a given corpus, settings and word lists.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from searchkit.analysis.entities.conll import read_conll, spans  # noqa: E402
from searchkit.analysis.entities.crf import Features, NameTagger, model_path  # noqa: E402
from searchkit.analysis.entities.gazetteer import Lexicon  # noqa: E402
from searchkit.analysis.entities.models import installed_packages  # noqa: E402

#: Settings chosen on valid.txt (see the README's "Named entities" section).
C1, C2, ITERATIONS = 0.05, 0.01, 150


def sentences(path: Path) -> list[list[tuple[str, str]]]:
    return [s for doc in read_conll(path) for s in doc.sentences]


def mention_scores(gold: list[list[tuple[str, str]]], tagger: NameTagger) -> str:
    """Per-mention P/R/F1 per type on `gold` (CoNLL's own measure: exact span and type)."""
    tp: Counter = Counter()
    pred: Counter = Counter()
    want: Counter = Counter()
    for sent in gold:
        g = set(spans([tag for _, tag in sent]))
        p = set(spans(tagger.tag([tok for tok, _ in sent])))
        want.update(k for k, _, _ in g)
        pred.update(k for k, _, _ in p)
        tp.update(k for k, _, _ in g & p)
    lines = []
    for k in [*sorted(want), "all"]:
        t, pr, w = (sum(c.values()) if k == "all" else c[k] for c in (tp, pred, want))
        p, r = t / max(pr, 1), t / max(w, 1)
        lines.append(f"{k:<5} P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpora/conll2003")
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--iterations", type=int, default=ITERATIONS)
    ap.add_argument("--out", type=Path, default=Path(model_path()))
    args = ap.parse_args()

    import nltk
    from nltk.tag import CRFTagger

    lex = Lexicon.load(installed_packages())
    features = Features(lex)
    cache: dict[int, list[list[str]]] = {}

    def feature_func(tokens: tuple[str, ...], i: int) -> list[str]:
        # CRFTagger asks token by token; compute the sentence once.
        if i == 0 or id(tokens) not in cache:
            cache.clear()
            cache[id(tokens)] = features.sentence(list(tokens))
        return cache[id(tokens)][i]

    train = sentences(args.corpus / "train.txt")
    opts = {
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.possible_transitions": True,
    }
    # NLTK writes models only inside its data roots: a private scratch root.
    scratch = tempfile.mkdtemp(prefix="searchkit-ner-")
    os.chmod(scratch, 0o700)
    nltk.data.path.insert(0, scratch)
    try:
        start = time.process_time()
        staged = os.path.join(scratch, "ner.crfsuite")
        CRFTagger(feature_func=feature_func, training_opt=opts).train(train, staged)
        print(f"trained on {len(train)} sentences in {time.process_time() - start:.0f} s CPU")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staged, args.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), settings {opts}")
    valid = args.corpus / "valid.txt"
    if valid.exists():
        tagger = NameTagger(lex, str(args.out))
        print("per mention on valid.txt:\n" + mention_scores(sentences(valid), tagger))
    return 0


if __name__ == "__main__":
    sys.exit(main())
