"""Detector quality on a labelled corpus: precision and recall per reason code, micro-F1,
and the clean messages that were flagged.

    python benchmarks/detector_quality.py tests/corpus/blind-2026-12.jsonl

A corpus is JSON Lines: {"id"?, "text", "reasons": [codes], "pupils": [roster names]}.
Blind sets (written by someone who never saw the word lists) are measured once and never
tuned on; see tests/corpus/README.md.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from moderator.policy.catalogue import TEXT_REASONS  # noqa: E402
from moderator.policy.detectors import detect, reasons_of  # noqa: E402


def measure(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    tp, fp, fn = Counter(), Counter(), Counter()
    clean_flagged = []
    for row in rows:
        want = set(row.get("reasons") or []) & set(TEXT_REASONS)
        got = set(reasons_of(detect(row["text"], pupils=row.get("pupils") or [])))
        for code in got & want:
            tp[code] += 1
        for code in got - want:
            fp[code] += 1
        for code in want - got:
            fn[code] += 1
        if not row.get("reasons") and got:
            clean_flagged.append((row.get("id"), sorted(got)))
    codes = sorted(set(tp) | set(fp) | set(fn))
    per_code = {}
    for code in codes:
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else None
        r = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else None
        per_code[code] = {"tp": tp[code], "fp": fp[code], "fn": fn[code],
                          "precision": p, "recall": r}
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = t / (t + f_p) if t + f_p else 0.0
    micro_r = t / (t + f_n) if t + f_n else 0.0
    micro_f1 = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    return {"messages": len(rows), "clean": sum(1 for r in rows if not r.get("reasons")),
            "per_code": per_code, "micro_precision": micro_p, "micro_recall": micro_r,
            "micro_f1": micro_f1, "clean_flagged": clean_flagged}


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/corpus/messages.jsonl")
    found = measure(path)
    print(f"{path}: {found['messages']} messages, {found['clean']} clean")
    print(f"{'code':<22}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}")
    for code, m in found["per_code"].items():
        p = "-" if m["precision"] is None else f"{m['precision']:.2f}"
        r = "-" if m["recall"] is None else f"{m['recall']:.2f}"
        print(f"{code:<22}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}{p:>11}{r:>9}")
    print(f"micro: precision {found['micro_precision']:.2f}, recall "
          f"{found['micro_recall']:.2f}, F1 {found['micro_f1']:.2f}")
    print(f"clean messages flagged: {len(found['clean_flagged'])}"
          + "".join(f"\n  {i}: {codes}" for i, codes in found["clean_flagged"]))


if __name__ == "__main__":
    main()
