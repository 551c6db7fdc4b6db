#!/usr/bin/env python3
"""Both sides of bin/bench-qwen next to each other: compare.py TRANSFORMERS_JSON DJL_JSON.

The ratio is ours / transformers as a speed (the transformers time divided by ours): above 1 we are
faster. "median" compares the medians of the runs, "best" the fastest run of each side (less
sensitive to a neighbour taking the shared cores). Decode is per generated token: (generate - first)
/ 31, so best pairs the fastest generate with the fastest first.
"""
import json
import math
import sys

GOAL = 0.8


def load(path):
    with open(path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def main():
    hf, ours = load(sys.argv[1]), load(sys.argv[2])
    new = hf["new_tokens"]
    rows = [("vision tower", "vision_s", None), ("prefill (full forward)", "prefill_s", hf["prompt_tokens"]),
            ("first token (generate 1)", "first_s", None), ("generate 32 (prefill + 31 steps)", "generate_s", None), ("decode step", "decode", 1),
            ("train step (fwd + bwd)", "train_s", None), ("LoRA train step (r 16)", "lora_train_s", None)]

    def times(side, key):
        runs = side.get("runs_s", {})
        if key == "decode":
            if "generate_s" not in runs or "first_s" not in runs:
                return math.nan, math.nan
            return side["decode_step_s"], (min(runs["generate_s"]) - min(runs["first_s"])) / (new - 1)
        if key not in runs:
            return math.nan, math.nan
        return side[key], min(runs[key])

    def fmt(seconds, tokens):
        if math.isnan(seconds):
            return "-"
        return f"{seconds:.3f} s" + (f" ({tokens / seconds:.1f} tok/s)" if tokens else "")

    print(f"Qwen2.5-VL, {hf['prompt_tokens']} prompt tokens ({hf['video_tokens']} video), batch 1, float32, "
          f"{hf['threads']} threads (transformers) / {ours['threads']} (DJL), median of {hf['runs']} / {ours['runs']} runs")
    header = f"| {'measure':34} | {'transformers (eager)':24} | {'DJL (ours)':24} | ratio median | ratio best |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for label, key, tokens in rows:
        (h, hb), (o, ob) = times(hf, key), times(ours, key)
        ratio = h / o if o and not math.isnan(o) else math.nan
        best = hb / ob if ob and not math.isnan(ob) else math.nan
        flag = "" if math.isnan(ratio) or ratio >= GOAL else " *"
        r = "-" if math.isnan(ratio) else f"{ratio:.2f}x{flag}"
        b = "-" if math.isnan(best) else f"{best:.2f}x"
        print(f"| {label:34} | {fmt(h, tokens):24} | {fmt(o, tokens):24} | {r:>12} | {b:>10} |")
    print(f"| {'peak RSS':34} | {hf['peak_rss_mb'] / 1024:21.1f} GB | {ours['peak_rss_mb'] / 1024:21.1f} GB | | |")
    print(f"| {'load':34} | {hf['load_s']:22.1f} s | {ours['load_s']:22.1f} s | | |")
    print(f"(* below the goal of {GOAL}x transformers' eager speed)")
    print("CPU seconds a call, user + kernel (warm-up included):")
    for key in ("vision_s", "prefill_s", "first_s", "generate_s", "train_s", "lora_train_s"):
        h, o = hf.get("cpu_user_sys_s", {}).get(key), ours.get("cpu_user_sys_s", {}).get(key)
        if h and o:
            print(f"  {key[:-2]:9} transformers {h[0]:6.2f} + {h[1]:5.2f}   DJL {o[0]:6.2f} + {o[1]:5.2f}")
    if "left_in_model_manager_mb" in ours:
        print("DJL: MB a call left in the model's own manager (closed by the benchmark between runs): "
              + ", ".join(f"{k[:-2]} {v:.0f}" for k, v in ours["left_in_model_manager_mb"].items()))
    print("checks (same inputs, same numbers):")
    for key in sorted(set(hf["checks"]) | set(ours["checks"])):
        print(f"  {key:20} transformers {hf['checks'].get(key)}   DJL {ours['checks'].get(key)}")


if __name__ == "__main__":
    main()
