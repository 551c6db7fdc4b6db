#!/usr/bin/env python3
"""Scores a JSONL file of completions with VideoAuto-R1's reference reward functions, as its trainer
calls them (batches of 512: accuracy of the first box, of the second with the fallback bonus, and
the format), and writes one {"id", "rewards"} line per input line: the reference side of
bin/bench-score, timed as a whole process. Input lines as videorl's `score` reads them, with the
problem types VideoAuto-R1's data loader gives its reward (multiple choice and exact_match,
numerical and math, iou, gqa). The checkout is verified against the pinned commit (README.md)."""
import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the pinned commit, and the problem-type mapping)

BATCH = 512


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--videoauto-r1", required=True, type=Path, help="checkout of IVUL-KAUST/VideoAuto-R1")
    ap.add_argument("input", type=Path)
    ap.add_argument("output", type=Path)
    args = ap.parse_args()
    root = args.videoauto_r1.resolve()
    generate.verify_sources("videoauto-r1", root, False)
    sys.path.insert(0, str(root / "videoauto_r1"))
    from reward import reward  # noqa: E402

    def flush(batch, out):
        completions = [line["completion"] for line in batch]
        truths, types = [], []
        for line in batch:
            kind, truth = generate.va_truth(line["problem_type"].replace(" ", "_").replace("iou", "temporal_grounding"),
                                            line["solution"])
            types.append(kind)
            truths.append(truth)
        with contextlib.redirect_stdout(io.StringIO()):  # the reference prints every format failure
            first = reward.accuracy_twice_boxed_reward1(completions, truths, types)
            second = reward.accuracy_twice_boxed_reward2(completions, truths, types)
            form = reward.format_twice_boxed_reward(completions)
        for line, a1, a2, f in zip(batch, first, second, form):
            out.write(json.dumps({"id": line["id"], "rewards": {"accuracy_boxed1": a1, "accuracy_boxed2": a2,
                                                                 "format": f, "total": 0.9 * a1 + 1.1 * a2 + f}}) + "\n")

    with args.input.open(encoding="utf-8") as lines, args.output.open("w", encoding="utf-8") as out:
        batch = []
        for text in lines:
            batch.append(json.loads(text))
            if len(batch) == BATCH:
                flush(batch, out)
                batch = []
        if batch:
            flush(batch, out)


if __name__ == "__main__":
    main()
