#!/usr/bin/env python3
"""A random Qwen2.5-VL of real widths for the speed benchmark, float32, written by save_pretrained.

  make_checkpoint.py OUT_DIR

Language model as Qwen2-0.5B (hidden 896, 24 layers, 14 heads / 2 kv heads, intermediate 4864,
vocabulary 151936, tied embeddings, rope theta 1e6); the vision tower
at its real width (hidden 1280, 16 heads, intermediate 3420, out_hidden 896) but 8 blocks instead of
32 (window 112 px, full attention in blocks 3 and 7, tokens_per_second 2). Weights are transformers'
own initialisation (normal, std 0.02) from seed 0; their values do not matter for speed. About
2.7 GB on disk; not committed.

M-RoPE sections: the released checkpoints' [16, 24, 24] sums to 64 = head_dim / 2 of a 128-wide head
(Qwen2.5-VL-3B/7B); Qwen2-0.5B's heads are 896 / 14 = 64 wide, so transformers demands sections summing
to 32: [8, 12, 12], the same proportions.
"""
import sys
import time
from pathlib import Path

import torch
import transformers
from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

transformers.logging.set_verbosity_error()


def config() -> Qwen2_5_VLConfig:
    return Qwen2_5_VLConfig(
        vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
        num_attention_heads=14, num_key_value_heads=2, tie_word_embeddings=True, rope_theta=1000000.0,
        rms_norm_eps=1e-6, max_position_embeddings=32768, hidden_act="silu",
        rope_scaling={"type": "mrope", "mrope_section": [8, 12, 12]},  # head_dim 64 (see above)
        bos_token_id=151643, eos_token_id=151645, pad_token_id=151643,
        image_token_id=151655, video_token_id=151656, vision_start_token_id=151652, vision_end_token_id=151653,
        vision_config=dict(depth=8, hidden_size=1280, num_heads=16, intermediate_size=3420, out_hidden_size=896,
                           patch_size=14, temporal_patch_size=2, spatial_merge_size=2, window_size=112,
                           fullatt_block_indexes=[3, 7], in_channels=3, tokens_per_second=2, hidden_act="silu"),
        attn_implementation="eager",
    )


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_checkpoint.py OUT_DIR")
    out = Path(sys.argv[1])
    start = time.perf_counter()
    torch.manual_seed(0)
    model = Qwen2_5_VLForConditionalGeneration(config()).to(torch.float32).eval()
    params = {n: p for n, p in model.named_parameters()}
    total = sum(p.numel() for p in params.values())
    vision = sum(p.numel() for n, p in params.items() if ".visual." in n)
    embedding = sum(p.numel() for n, p in params.items() if n.endswith("embed_tokens.weight"))
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)  # the default shard size keeps it in one file
    print(f"parameters: {total:,} ({total / 1e9:.3f} B): language model {total - vision:,} "
          f"(of which the tied embedding {embedding:,}), vision tower {vision:,}")
    print(f"wrote {out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
