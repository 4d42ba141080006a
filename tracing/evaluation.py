"""Measure a review queue against a synthetic world's truth: recall, precision, labels, leaks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def match_truth(candidate: Mapping[str, Any], relatives: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The true relative a candidate stands for: the one sharing most records with it (on a tie, the
    one whose birth entry it cites: a candidate is the person born, whoever else's record it carries)."""
    cited = {(r["source"], r["record_id"]) for r in candidate["records"]}
    best, best_shared = None, 0.0
    for rel in relatives:
        theirs = {(r["source"], r["record_id"]) for r in rel["records"]}
        shared = len(cited & theirs)
        if shared and any(source == "birth_index" for source, _ in cited & theirs):
            shared += 0.5
        if shared > best_shared:
            best, best_shared = rel, shared
    return best


def evaluate_case(candidates: Sequence[Mapping[str, Any]], truth: Mapping[str, Any], top: int = 50) -> dict[str, Any]:
    """Figures for one case: counts, so several cases can be pooled."""
    relatives = truth["relatives"]
    ranked = sorted(candidates, key=lambda c: c["rank"])[:top]
    matched: dict[str, Mapping[str, Any]] = {}
    true_positive = label_right = contacts_offered = contacts_wrong = 0
    dnc_leaks = dead_unflagged = alive_flagged_dead = 0
    for cand in ranked:
        rel = match_truth(cand, relatives)
        if rel is None:
            continue
        true_positive += 1
        contact = cand.get("contact")
        if contact:
            # A true relative offered with an address from someone else's record (a namesake's).
            contacts_offered += 1
            contacts_wrong += (contact["source"], contact["record_id"]) not in {
                (r["source"], r["record_id"]) for r in rel["records"]}
        if rel["person"] not in matched:
            matched[rel["person"]] = cand
        if cand["relationship"] == rel["relationship"]:
            label_right += 1
    for cand in candidates:
        rel = match_truth(cand, relatives)
        if rel is None:
            continue
        if rel["do_not_contact"] and not cand["blocked"]:
            dnc_leaks += 1
        if rel["deceased"] and not cand["deceased"]:
            dead_unflagged += 1
        if cand["deceased"] and not rel["deceased"]:
            # A living relative given another's death: never offered for contact, a relative lost.
            alive_flagged_dead += 1
    contactable = [r for r in relatives if r["contactable"]]
    parents = [r for r in relatives if r["relationship"] in ("mother", "father")]
    return {
        "relatives": len(relatives),
        "contactable": len(contactable),
        "contactable_found": sum(1 for r in contactable if r["person"] in matched),
        "parents": len(parents),
        "parents_found": sum(1 for r in parents if r["person"] in matched),
        "in_top": len(ranked),
        "true_in_top": true_positive,
        "label_right": label_right,
        "dnc_leaks": dnc_leaks,
        "dead_unflagged": dead_unflagged,
        "alive_flagged_dead": alive_flagged_dead,
        "contacts_offered": contacts_offered,
        "contacts_wrong": contacts_wrong,
    }


def pooled(figures: Sequence[Mapping[str, int]]) -> dict[str, float]:
    """Recall, precision and label accuracy pooled over cases."""
    total = {k: sum(f[k] for f in figures) for k in figures[0]} if figures else {}

    def ratio(a: str, b: str) -> float:
        return round(total[a] / total[b], 3) if total.get(b) else 0.0

    return {
        "recall_contactable_top50": ratio("contactable_found", "contactable"),
        "precision_top50": ratio("true_in_top", "in_top"),
        "parents_found": ratio("parents_found", "parents"),
        "label_accuracy": ratio("label_right", "true_in_top"),
        "dnc_leaks": total.get("dnc_leaks", 0),
        "dead_unflagged": total.get("dead_unflagged", 0),
        "alive_flagged_dead": total.get("alive_flagged_dead", 0),
        # Of the true relatives in the top 50 offered a contact, the share whose address record is
        # another person's.
        "contact_wrong_share": ratio("contacts_wrong", "contacts_offered"),
        "cases": len(figures),
    }
