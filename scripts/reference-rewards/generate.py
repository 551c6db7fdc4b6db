#!/usr/bin/env python3
"""Score the cases in cases.py with the public reference reward code and write the JSONL fixture
that the Java tests compare against. See README.md for the setup and the exact command.

The reference code is imported from two checkouts named on the command line; nothing of it is
copied here. Any case the reference cannot score (it raises, or swallows an exception and prints
its error line, or math_verify hits its timeout) stops the run with an error.
"""
import argparse
import contextlib
import hashlib
import io
import json
import logging
import math
import os
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = (HERE.parent.parent / "common" / "src" / "test" / "resources" / "ai" / "videorl" / "common"
               / "recipe" / "reference-rewards.jsonl")

# Git blob ids of the reference files at the pinned commits (what `git ls-tree <commit> <path>` prints).
PINNED = {
    "videoauto-r1": ("IVUL-KAUST/VideoAuto-R1", "f7d91a3c4ba810d61849739074d6cdc2fc3c1331", {
        "videoauto_r1/reward/reward.py": "1cd475b1e502f8f04624bb5567910fe2c1225293",
        "videoauto_r1/reward/mc_grader.py": "85a1d36ea1e0916c88447fbbe2b51c3907688bc3",
        "videoauto_r1/reward/tg_grader.py": "374ee81f8d48351e4ec3b5a928a29fcbea594736",
    }),
    "video-r2": ("mbzuai-oryx/Video-R2", "c9e6743891d58b4b161bca5f84b96c2b3aac6949", {
        "train/src/__init__.py": "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
        "train/src/train/__init__.py": "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
        "train/src/train/reward_funcs.py": "d25b3ad5b6da11b129941d9687ca25d7b0b71ea4",
        "train/src/train/reward_utils.py": "37da6521eab0ccc6deb5e9d151207015d9a74434",
        "train/src/train/temporal_grounding_reward.py": "464e552bfa868effb2820a8c3412a821874d977d",
    }),
}

# Our canonical problem types -> the type names VideoAuto-R1's reward dispatches on (its data loader
# maps Video-R1 "multiple choice" to exact_match and "numerical" to math).
VA_TYPES = {"multiple_choice": "exact_match", "exact_match": "exact_match", "numerical": "math",
            "math": "math", "temporal_grounding": "iou", "grounded_qa": "gqa"}
# Video-R2's inferred type names -> our canonical names.
VR2_TYPES = {"multiple choice": "multiple_choice", "numerical": "numerical", "regression": "regression",
             "OCR": "ocr", "free-form": "free_form"}
ERROR_MARKERS = ("Error in reward_fn", "Error in temporal_grounding")


class CaseError(Exception):
    pass


def git_blob_id(path):
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def verify_sources(name, root, allow_other):
    repo, commit, blobs = PINNED[name]
    bad = []
    for rel, want in blobs.items():
        p = root / rel
        if not p.is_file():
            raise SystemExit(f"{name}: {p} is missing; --{name} must point at a checkout of {repo}")
        got = git_blob_id(p)
        if got != want:
            bad.append(f"{rel}: blob {got}, expected {want}")
    if bad:
        msg = f"{name}: {root} is not {repo} @ {commit}:\n  " + "\n  ".join(bad)
        if not allow_other:
            raise SystemExit(msg + "\n(use --allow-other-sources to score with it anyway)")
        print("WARNING: " + msg, file=sys.stderr)


def install_stubs():
    """Placeholders for packages that Video-R2's modules import at top level but that none of the
    functions called here touch (torch, openai, sentence_transformers). Only missing packages are
    replaced; an installed one is always used as it is. Returns the names that were stubbed."""
    import importlib.util

    def missing(name):
        return name not in sys.modules and importlib.util.find_spec(name) is None

    stubbed = []
    if missing("torch"):
        torch = types.ModuleType("torch")
        torch.no_grad = contextlib.nullcontext
        torch.Tensor = type("Tensor", (), {})  # other libraries probe sys.modules["torch"].Tensor
        sys.modules["torch"] = torch
        stubbed.append("torch")
    if missing("openai"):
        openai = types.ModuleType("openai")

        class OpenAI:
            def __init__(self, *a, **k):
                pass

            def __getattr__(self, name):
                raise RuntimeError("openai is stubbed: the judge cannot be called")
        openai.OpenAI = OpenAI
        sys.modules["openai"] = openai
        stubbed.append("openai")
    if missing("sentence_transformers"):
        st = types.ModuleType("sentence_transformers")

        class SentenceTransformer:
            def __init__(self, *a, **k):
                raise RuntimeError("sentence_transformers is stubbed")
        st.SentenceTransformer = SentenceTransformer
        st.util = types.SimpleNamespace()
        sys.modules["sentence_transformers"] = st
        stubbed.append("sentence_transformers")
    return stubbed


class Refs:
    """The reference functions, imported from the two checkouts."""

    def __init__(self, va_root, vr2_root):
        sys.path.insert(0, str(va_root / "videoauto_r1"))
        sys.path.insert(0, str(vr2_root / "train"))
        from reward import reward as va_reward, mc_grader, tg_grader  # VideoAuto-R1
        from src.train import reward_funcs, reward_utils, temporal_grounding_reward  # Video-R2
        self.va = va_reward
        self.mc = mc_grader
        self.tg = tg_grader
        self.rf = reward_funcs
        self.ru = reward_utils
        self.tgr = temporal_grounding_reward


class MathVerifyWatch(logging.Handler):
    """Collects math_verify warnings: a parse/verify timeout makes a result depend on timing."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


WATCH = MathVerifyWatch()


def call(fn, *args, **kwargs):
    """Calls a reference function with its prints captured; fails on its error lines or timeouts."""
    buf = io.StringIO()
    WATCH.messages.clear()
    with contextlib.redirect_stdout(buf):
        out = fn(*args, **kwargs)
    printed = buf.getvalue()
    for marker in ERROR_MARKERS:
        if marker in printed:
            raise CaseError(f"the reference could not score it: {printed.strip()}")
    if WATCH.messages:
        raise CaseError("math_verify warned: " + " | ".join(WATCH.messages))
    return out


def number(x, what):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise CaseError(f"{what} returned {x!r}, not a number")
    if not math.isfinite(x):
        raise CaseError(f"{what} returned {x!r}")
    return x


def check_interval(v, what):
    if not (isinstance(v, list) and len(v) == 2 and all(isinstance(t, (int, float)) and not isinstance(t, bool)
                                                          and t >= 0 for t in v)):
        raise CaseError(f"{what} must be [s, e] with non-negative numbers, got {v!r}")
    return [float(t) for t in v]


def va_truth(problem_type, solution):
    """The ground-truth argument VideoAuto-R1's data loader would hand its reward for this type."""
    ref_type = VA_TYPES.get(problem_type)
    if ref_type is None:
        raise CaseError(f"videoauto-r1 cases use {sorted(VA_TYPES)}, not {problem_type!r}")
    if ref_type in ("exact_match", "math"):
        if not isinstance(solution, str):
            raise CaseError("a text solution must be a string")
        return ref_type, solution
    if ref_type == "iou":
        if isinstance(solution, list) and solution and isinstance(solution[0], list):
            return ref_type, [check_interval(s, "solution[i]") for s in solution]
        return ref_type, check_interval(solution, "solution")
    if not (isinstance(solution, dict) and list(solution) == ["answer", "segment"]
            and isinstance(solution["answer"], str)):
        raise CaseError('a grounded_qa solution must be {"answer": str, "segment": [s, e]}')
    return ref_type, {"answer": solution["answer"], "segment": check_interval(solution["segment"], "segment")}


def score_va(refs, case):
    ref_type, truth = va_truth(case["problem_type"], case["solution"])
    text = case["completion"]
    r = refs.va
    return {
        "accuracy_boxed1": number(call(r.accuracy_twice_boxed_reward1, [text], [truth], [ref_type])[0], "accuracy_boxed1"),
        "accuracy_boxed2": number(call(r.accuracy_twice_boxed_reward2, [text], [truth], [ref_type])[0], "accuracy_boxed2"),
        "format_twice_boxed": number(call(r.format_twice_boxed_reward, [text])[0], "format_twice_boxed"),
    }


def score_vr2(refs, case):
    if case["problem_type"] not in VR2_TYPES.values():
        raise CaseError(f"video-r2 cases use {sorted(VR2_TYPES.values())}, not {case['problem_type']!r}")
    if not isinstance(case["solution"], str):
        raise CaseError("a video-r2 solution must be a string")
    # Its dataset hands the reward the assistant message of the conversation; the truth sits in <answer>.
    assistant = {"role": "assistant", "content": "<answer>" + case["solution"] + "</answer>"}
    inferred = refs.ru.infer_question_type(refs.ru.extract_answer(assistant["content"]))
    if VR2_TYPES.get(inferred) != case["problem_type"]:
        raise CaseError(f"Video-R2 infers {inferred!r} from the truth {case['solution']!r}, the case says "
                        f"{case['problem_type']!r}; such a case would depend on that inference, so it is refused")
    completions = [[{"role": "assistant", "content": case["completion"]}]]
    return {
        "format_reward": number(call(refs.rf.format_reward, completions)[0], "format_reward"),
        "accuracy_reward": number(call(refs.rf.accuracy_reward, completions, [assistant])[0], "accuracy_reward"),
    }


def score_timestamps(refs, claims):
    if not isinstance(claims, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in claims.items()):
        raise CaseError("a timestamps input must map strings to strings")
    sanitized = call(refs.tgr.sanitize_timestamps_dict, dict(claims), drop_open_ended=True, coerce_open_ended_by=None)
    extracted = call(refs.tgr.extract_grounding_claims, sanitized)
    extracted = call(refs.tgr._ensure_interval_fields, extracted)  # start/end for point claims, as the reward does
    out = []
    for c in extracted:
        start, end = c["start_sec"], c["end_sec"]
        for t in (start, end):
            if isinstance(t, bool) or not isinstance(t, int):
                raise CaseError(f"claim time {t!r} is not an integer number of seconds")
        out.append([start, end, c["sentence"]])
    return out


def build(refs, cases):
    rows = []

    def add(row_id, body):
        rows.append((row_id, {"id": row_id, **body}))

    def completion_row(recipe, case, reference):
        body = {"kind": "completion", "recipe": recipe, "problem_type": case["problem_type"],
                "solution": case["solution"], "options": list(case["options"]), "completion": case["completion"],
                "reference": reference, "note": case["note"]}
        if case.get("doc"):
            if recipe != "videoauto-r1" or VA_TYPES[case["problem_type"]] != "math":
                raise CaseError("documented_difference is only for VideoAuto-R1 math cases")
            body["documented_difference"] = "math"
        return body

    groups = [
        ("va", cases.VIDEOAUTO_R1, lambda c: completion_row("videoauto-r1", c, score_va(refs, c))),
        ("vr2", cases.VIDEO_R2, lambda c: completion_row("video-r2", c, score_vr2(refs, c))),
        ("mcn", cases.MC_NORMALIZE, lambda s: {"kind": "mc_normalize", "input": s,
                                              "reference": call(refs.mc.normalize, s)}),
        ("int", cases.INTERVAL, lambda s: {"kind": "interval", "input": s,
                                          "reference": call(refs.tg.parse_timestamps_from_string, s)}),
        ("ts", cases.TIMESTAMPS, lambda d: {"kind": "timestamps", "input": d,
                                           "reference": score_timestamps(refs, d)}),
        ("ver", cases.VERDICT, lambda s: {"kind": "verdict", "input": s,
                                         "reference": call(refs.ru.parse_decision, s)[0]}),
    ]
    failures = []
    for prefix, items, fn in groups:
        seen = set()
        for i, item in enumerate(items, 1):
            row_id = f"{prefix}-{i:04d}"
            key = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if key in seen:
                failures.append(f"{row_id}: duplicate of an earlier case")
                continue
            seen.add(key)
            if prefix in ("mcn", "int", "ver") and not isinstance(item, str):
                failures.append(f"{row_id}: input must be a string")
                continue
            try:
                add(row_id, fn(item))
            except CaseError as e:
                label = item["note"] if isinstance(item, dict) and "note" in item else repr(item)
                failures.append(f"{row_id} ({label}): {e}")
            except Exception as e:  # the reference itself raised
                failures.append(f"{row_id}: the reference raised {type(e).__name__}: {e}")
    if failures:
        raise SystemExit("cannot build the fixture:\n  " + "\n  ".join(failures))
    rows.sort(key=lambda r: r[0])
    return "".join(dump(body) + "\n" for _, body in rows)


# Characters that some line readers treat as line breaks; escaped so that each record stays on one line
# for any reader (they can only occur inside JSON strings, where the escape means the same).
LINE_BREAKERS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dump(body):
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in LINE_BREAKERS.items():
        text = text.replace(raw, escaped)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--videoauto-r1", required=True, type=Path, help="checkout of IVUL-KAUST/VideoAuto-R1")
    ap.add_argument("--video-r2", required=True, type=Path, help="checkout of mbzuai-oryx/Video-R2")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixture path (default: the test resource)")
    ap.add_argument("--check", action="store_true", help="do not write; fail if --out differs from a fresh run")
    ap.add_argument("--stub-unused-imports", action="store_true",
                    help="stand in for torch/openai/sentence_transformers where they are not installed: "
                         "Video-R2 imports them, but the scored functions never use them")
    ap.add_argument("--allow-other-sources", action="store_true",
                    help="score with reference files that differ from the pinned commits (warns)")
    args = ap.parse_args()

    va_root, vr2_root = args.videoauto_r1.resolve(), args.video_r2.resolve()
    verify_sources("videoauto-r1", va_root, args.allow_other_sources)
    verify_sources("video-r2", vr2_root, args.allow_other_sources)
    if args.stub_unused_imports:
        stubbed = install_stubs()
        if stubbed:
            print("stubbed (not installed): " + ", ".join(stubbed), file=sys.stderr)
    logging.getLogger("math_verify").addHandler(WATCH)
    refs = Refs(va_root, vr2_root)
    sys.path.insert(0, str(HERE))
    import cases

    text = build(refs, cases)
    counts = {}
    for line in text.split("\n")[:-1]:
        row = json.loads(line)
        k = row["kind"] + ("/" + row["recipe"] if row["kind"] == "completion" else "")
        counts[k] = counts.get(k, 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    if args.check:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if old != text:
            raise SystemExit(f"{args.out} is out of date ({summary})")
        print(f"{args.out} is up to date ({summary})", file=sys.stderr)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"wrote {args.out} ({summary})", file=sys.stderr)


if __name__ == "__main__":
    # Pin the hash seed so that nothing in the references (sympy included) can vary between runs.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    main()
