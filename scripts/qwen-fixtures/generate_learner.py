#!/usr/bin/env python3
"""The base of QwenLearningSparkIT: a tiny random Qwen2.5-VL whose responses end at a rate LoRA can change.

A random Qwen2.5-VL with the real vocabulary (151,936 tokens) is all but uniform over it: no response
it writes ends, and no reward of a recipe tells two rollouts apart. This one is transformers' own
random initialisation (initializer_range 0.02, seed 5000) with two changes, so that how long a
response runs is something a policy can learn:

- every token's embedding gets 0.05 in channel 0 (the others are N(0, 0.02²)): the residual stream
  carries a component common to every position, which the final RMSNorm keeps;
- <|im_end|>'s row of the tied head is END_SCALE in channel 0 and 0 elsewhere: its logit is
  END_SCALE times that component (about 2.2 after the norm), so a response ends at each step with
  a probability of the order of 0.1, and adapters that grow or shrink the component change it.

Written with save_pretrained in BF16 (about 5 MB) to cluster/src/test/resources/qwen/learner/, with
facts.json: the probability of <|im_end|> after a few prompts, as transformers computes it. Run in the
venv of setup-venv.sh; --check writes to a temporary folder and compares with the committed files.

    scripts/qwen-fixtures/.venv/bin/python scripts/qwen-fixtures/generate_learner.py [--check]
"""
from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
from pathlib import Path

import torch
from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

SEED = 5000
END = 151645  # <|im_end|>
COMMON = 0.05
END_SCALE = 4.5
OUT = Path(__file__).resolve().parents[2] / "cluster/src/test/resources/qwen/learner"


def build() -> Qwen2_5_VLForConditionalGeneration:
    config = Qwen2_5_VLConfig(
        vocab_size=151936, hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, tie_word_embeddings=True, rope_theta=1000000.0, rms_norm_eps=1e-6,
        max_position_embeddings=128000, rope_scaling={"type": "mrope", "mrope_section": [2, 1, 1]},
        bos_token_id=151643, eos_token_id=END, pad_token_id=151643,
        image_token_id=151655, video_token_id=151656, vision_start_token_id=151652, vision_end_token_id=151653,
        vision_token_id=151654,
        vision_config=dict(depth=2, hidden_size=16, num_heads=2, intermediate_size=32, out_hidden_size=16, patch_size=14,
                           temporal_patch_size=2, spatial_merge_size=2, window_size=56, fullatt_block_indexes=[1],
                           in_channels=3, tokens_per_second=2, hidden_act="silu"),
        initializer_range=0.02,
    )
    torch.manual_seed(SEED)
    model = Qwen2_5_VLForConditionalGeneration(config).eval()
    with torch.no_grad():
        embed = model.get_input_embeddings().weight
        embed[:, 0] += COMMON
        embed[END] = 0
        embed[END, 0] = END_SCALE
    return model


def end_probabilities(model) -> list[float]:
    """P(<|im_end|>) at the last position of a few text prompts (chat-template tokens and words)."""
    prompts = [[151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 77091, 198],
               [151644, 872, 198, 3838, 8573, 304, 419, 2766, 30, 151645, 198, 151644, 77091, 198, 59, 79075],
               [151644, 77091, 198, 32, 13, 264, 9334, 10797]]
    out = []
    with torch.no_grad():
        for ids in prompts:
            logits = model(input_ids=torch.tensor([ids])).logits[0, -1].float()
            out.append(round(torch.softmax(logits, -1)[END].item(), 4))
    return out


def write(directory: Path) -> None:
    model = build()
    facts = {"seed": SEED, "common": COMMON, "end_scale": END_SCALE, "end_token": END,
             "end_probability_after_prompts": end_probabilities(model),
             "transformers": __import__("transformers").__version__, "torch": torch.__version__}
    model.save_pretrained(directory, safe_serialization=True, max_shard_size="50MB")
    # BF16 on disk: the Java loader widens it exactly; the facts are of the float32 model before rounding.
    reloaded = Qwen2_5_VLForConditionalGeneration.from_pretrained(directory, dtype=torch.bfloat16)
    reloaded.save_pretrained(directory, safe_serialization=True, max_shard_size="50MB")
    (directory / "facts.json").write_text(json.dumps(facts, indent=1) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    args = parser.parse_args()
    if not args.check:
        OUT.mkdir(parents=True, exist_ok=True)
        write(OUT)
        print(json.loads((OUT / "facts.json").read_text()))
        return 0
    with tempfile.TemporaryDirectory() as fresh:
        write(Path(fresh))
        names = sorted(p.name for p in Path(fresh).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(fresh, OUT, names, shallow=False)
        if mismatch or errors:
            print("differ:", mismatch + errors)
            return 1
        print("identical:", names)
        return 0


if __name__ == "__main__":
    sys.exit(main())
