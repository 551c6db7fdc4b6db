"""The benchmark's deterministic inputs, shared by make_checkpoint.py and bench_transformers.py.

QwenBenchmark.java builds the same numbers with the same formulas (keep the two in step):
  - prompt: TEXT_BEFORE text ids, <|vision_start|>, the video's T*(H/2)*(W/2) <|video_pad|> ids,
    <|vision_end|>, TEXT_AFTER text ids; text id k (counting over both text runs) = (1000 + 7919 k) % 150000
  - response id j = (3000 + 104729 j) % 150000
  - pixel_values_videos [T*H*W, 3*2*14*14], flat element n = ((7919 n) % 1025 - 512) / 512, exact in float32
  - video grid GRID (T, H, W) patches, second_per_grid_ts 1.0
"""
import numpy as np

GRID = (4, 16, 16)  # 1024 patches, 256 video tokens
TEXT_BEFORE = 30
TEXT_AFTER = 32
RESPONSE = 32
SECONDS_PER_GRID = 1.0
# lora_train: adapters of this rank and alpha on these projections of every language-model layer.
LORA_RANK = 16
LORA_ALPHA = 32
LORA_TARGETS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
                "mlp.up_proj", "mlp.down_proj")
VIDEO_START, VIDEO_END, VIDEO_PAD = 151652, 151653, 151656
PATCH_VALUES = 3 * 2 * 14 * 14


def prompt_ids() -> list[int]:
    t, h, w = GRID
    text = [(1000 + 7919 * k) % 150000 for k in range(TEXT_BEFORE + TEXT_AFTER)]
    video = [VIDEO_PAD] * (t * (h // 2) * (w // 2))
    return text[:TEXT_BEFORE] + [VIDEO_START] + video + [VIDEO_END] + text[TEXT_BEFORE:]


def response_ids() -> list[int]:
    return [(3000 + 104729 * j) % 150000 for j in range(RESPONSE)]


def pixel_values() -> np.ndarray:
    t, h, w = GRID
    n = np.arange(t * h * w * PATCH_VALUES, dtype=np.int64)
    return (((n * 7919) % 1025 - 512).astype(np.float32) / np.float32(512)).reshape(t * h * w, PATCH_VALUES)
