#!/usr/bin/env python3
"""transformers' speed on the benchmark checkpoint: the reference side of bin/bench-qwen.

  bench_transformers.py CHECKPOINT_DIR [--runs 3] [--threads 2] [--only vision,prefill,first,generate,train,lora_train]

Eager attention, float32, CPU, torch.set_num_threads(2); batch 1; the inputs of inputs.py (the same
numbers QwenBenchmark.java builds). Each figure is the median of --runs runs after one warm-up run:
  vision   the vision tower alone on the video's patches (s)
  prefill  one full forward of the prompt, logits of every position (s; prompt tokens / s)
  generate greedy decoding with the KV cache, min = max new tokens = 32, eos ignored (s)
  first    the same with 1 new token: the prefill as generate runs it (s)
  decode   (generate - first) / 31 per step: new tokens / s
  train    forward of prompt + 32-token response, log-softmax (float32) of the response tokens,
           backward of their sum (s); gradients set to None before each run, outside the timing
  lora_train the same with the base frozen and PEFT LoRA (inputs.LORA_*) on the language model's
           projections: gradients of the adapters only (s)
Also the user and kernel CPU seconds a call (warm-up included). Peak RSS from getrusage. Prints the table on stderr and one JSON line on stdout.
"""
import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inputs  # noqa: E402

import transformers  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402
from transformers import Qwen2_5_VLForConditionalGeneration  # noqa: E402

transformers.logging.set_verbosity_error()


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def timed(fn, runs):
    """Median wall seconds of the runs after a warm-up; all runs; user and kernel CPU seconds a call."""
    before = cpu_seconds()
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    after = cpu_seconds()
    return statistics.median(times), times, [(a - b) / (runs + 1) for a, b in zip(after, before)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated: vision,prefill,first,generate,train,lora_train")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    start = time.perf_counter()
    model = Qwen2_5_VLForConditionalGeneration.from_pretrained(
        args.checkpoint, dtype=torch.float32, attn_implementation="eager").eval()
    load_s = time.perf_counter() - start

    ids = torch.tensor([inputs.prompt_ids()], dtype=torch.int64)
    response = torch.tensor([inputs.response_ids()], dtype=torch.int64)
    pixels = torch.from_numpy(inputs.pixel_values())
    grid = torch.tensor([list(inputs.GRID)], dtype=torch.int64)
    seconds = torch.tensor([inputs.SECONDS_PER_GRID], dtype=torch.float32)
    length, new = ids.shape[1], inputs.RESPONSE
    video = dict(pixel_values_videos=pixels, video_grid_thw=grid, second_per_grid_ts=seconds)
    checks = {}

    def vision():
        with torch.no_grad():
            return model.model.visual(pixels, grid_thw=grid)

    def prefill():
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=False, **video).logits
        checks["prefill_last_argmax"] = int(logits[0, -1].argmax())
        checks["prefill_last_sum"] = float(logits[0, -1].sum())

    def generate(n):
        def run():
            with torch.no_grad():
                out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), **video,
                                     max_new_tokens=n, min_new_tokens=n, do_sample=False, num_beams=1,
                                     use_cache=True, pad_token_id=151643)
            checks[f"greedy_{n}"] = out[0, length:].tolist()
        return run

    full = torch.cat([ids, response], dim=1)

    def train_step(check):
        # One step of what trains: every weight, or (lora_train) the adapters get_peft_model injects
        # into the model's own modules, the base frozen.
        def run():
            model.zero_grad(set_to_none=True)  # outside the measured part below, see timed_train
            with torch.enable_grad():
                logits = model(input_ids=full, attention_mask=torch.ones_like(full), use_cache=False, **video).logits
                logp = torch.log_softmax(logits[:, length - 1:length - 1 + new, :].float(), dim=-1)
                total = logp.gather(-1, response.unsqueeze(-1)).squeeze(-1).sum()
                total.backward()
            checks[check] = float(total.detach())
        return run

    results, cpu = {}, {}
    only = set(filter(None, args.only.split(",")))
    for name, fn in [("vision_s", vision), ("prefill_s", prefill), ("first_s", generate(1)),
                     ("generate_s", generate(new)), ("train_s", train_step("train_logprob_sum")),
                     ("lora_train_s", train_step("lora_train_logprob_sum"))]:
        if only and name[:-2] not in only:
            continue
        if name == "lora_train_s":
            # LoRA (PEFT, inputs.LORA_*) on every projection of the language model's attention and MLP.
            model.zero_grad(set_to_none=True)
            targets = [n for n, _ in model.named_modules()
                       if n.startswith("model.language_model.layers.") and n.split(".", 4)[-1] in inputs.LORA_TARGETS]
            get_peft_model(model, LoraConfig(r=inputs.LORA_RANK, lora_alpha=inputs.LORA_ALPHA, lora_dropout=0.0,
                                             target_modules=targets))
        results[name], results[name + "_runs"], cpu[name] = timed(fn, args.runs)
        print(f"  {name}: {results[name]:.3f} s  runs {['%.3f' % t for t in results[name + '_runs']]}", file=sys.stderr)
    nan = float("nan")
    results["decode_step_s"] = (results.get("generate_s", nan) - results.get("first_s", nan)) / (new - 1)
    out = {
        "side": "transformers",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "threads": torch.get_num_threads(),
        "runs": args.runs,
        "prompt_tokens": length,
        "video_tokens": int(grid.prod()) // 4,
        "new_tokens": new,
        "load_s": load_s,
        **{k: v for k, v in results.items() if not k.endswith("_runs")},
        "runs_s": {k[:-len("_runs")]: v for k, v in results.items() if k.endswith("_runs")},
        "cpu_user_sys_s": cpu,
        "prefill_tokens_per_s": length / results.get("prefill_s", nan),
        "decode_tokens_per_s": 1 / results["decode_step_s"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "checks": {**({"greedy_first8": checks.pop(f"greedy_{new}")[:8]} if f"greedy_{new}" in checks else {}),
                   **{k: v for k, v in checks.items() if not k.startswith("greedy_")}},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
