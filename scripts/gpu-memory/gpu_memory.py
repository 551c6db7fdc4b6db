#!/usr/bin/env python3
"""GPU memory of a Qwen2.5-VL LoRA run on videorl's DJL build, computed from a checkpoint's config.json.

What it counts is what videorl's code allocates (docs/qwen.md, "Memory on a GPU"): float32 weights
(the only dtype a GPU computes in today), the tensors PyTorch's autograd keeps for the backward pass
of one sequence through videorl's Qwen2.5-VL (eager attention: every head's probabilities), the
response logits and their log-softmax, and for rollouts the KV cache and one layer's prefill scores.
Standard library only.

    scripts/gpu-memory/gpu_memory.py CONFIG_JSON [--frames 16] [--frame-tokens 128] [--prompt-text 150]
                                     [--response 1024] [--group 8] [--rank 16]
"""
import argparse
import json

GB = 1e9
FLOAT = 4


def text_config(config):
    text = config.get("text_config") or config
    return {k: text[k] for k in ("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                                  "num_key_value_heads", "vocab_size")} | {
        "tied": bool(text.get("tie_word_embeddings", config.get("tie_word_embeddings", False)))}


def parameters(config):
    t = text_config(config)
    h, i, layers, heads, kv = (t[k] for k in ("hidden_size", "intermediate_size", "num_hidden_layers",
                                              "num_attention_heads", "num_key_value_heads"))
    kv_width = kv * (h // heads)
    layer = (h * h + h) + 2 * (kv_width * h + kv_width) + h * h + 3 * h * i + 2 * h
    language = layers * layer + t["vocab_size"] * h * (1 if t["tied"] else 2) + h
    v = config["vision_config"]
    vh, vi = v["hidden_size"], v["intermediate_size"]
    block = (3 * vh * vh + 3 * vh) + (vh * vh + vh) + 2 * (vi * vh + vi) + (vh * vi + vh) + 2 * vh
    merged = vh * v["spatial_merge_size"] ** 2
    vision = (vh * v["in_channels"] * v["temporal_patch_size"] * v["patch_size"] ** 2 + v["depth"] * block + vh
              + merged * merged + merged + v["out_hidden_size"] * merged + v["out_hidden_size"])
    return language, vision


def lora_parameters(config, rank):
    t = text_config(config)
    h, i, heads, kv = t["hidden_size"], t["intermediate_size"], t["num_attention_heads"], t["num_key_value_heads"]
    kv_width = kv * (h // heads)
    # q, k, v, o, gate, up, down: rank x (in + out) each
    per_layer = rank * ((h + h) + 2 * (h + kv_width) + (h + h) + 2 * (h + i) + (i + h))
    return t["num_hidden_layers"] * per_layer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--frame-tokens", type=int, default=128, help="merged tokens a 2-frame group (pixels / 28²)")
    parser.add_argument("--prompt-text", type=int, default=150, help="text tokens of the prompt (template, question, instructions)")
    parser.add_argument("--response", type=int, default=1024)
    parser.add_argument("--group", type=int, default=8, help="rollouts decoded together (rollout.batch_rows)")
    parser.add_argument("--rank", type=int, default=16)
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)
    t = text_config(config)
    h, i, layers, heads, kv, vocab = (t[k] for k in ("hidden_size", "intermediate_size", "num_hidden_layers",
                                                     "num_attention_heads", "num_key_value_heads", "vocab_size"))
    language, vision = parameters(config)
    base = (language + vision) * FLOAT
    adapters = lora_parameters(config, args.rank) * FLOAT
    prompt = args.frames // 2 * args.frame_tokens + args.prompt_text
    sequence = prompt + args.response
    # Kept for backward, per token and layer: the two norms' inputs and outputs, q and the repeated k and v,
    # the attention output before o_proj (h each: 8h); gate, up, SiLU's sigmoid and output, and down's input (5i).
    activations = layers * (8 * h + 5 * i) * FLOAT * sequence
    # Every head's softmax output, per query and key.
    attention = layers * heads * FLOAT * sequence * sequence
    # The response's logits, their log-softmax and softmax (the entropy).
    logits = 3 * args.response * vocab * FLOAT
    kv_cache = 2 * layers * kv * (h // heads) * FLOAT * sequence * args.group
    prefill = 3 * heads * prompt * prompt * FLOAT * args.group  # scores, masked, softmax of one layer
    print(f"base: {(language + vision) / 1e9:.2f} B parameters ({language / 1e9:.2f} B language, {vision / 1e9:.2f} B vision), "
          f"float32 {base / GB:.1f} GB")
    print(f"LoRA r {args.rank} on the language model's 7 projections: {adapters / FLOAT / 1e6:.1f} M parameters, "
          f"{adapters / GB * 1000:.0f} MB (the driver's AdamW holds 4x that in doubles)")
    print(f"sequence: {args.frames} frames -> {args.frames // 2 * args.frame_tokens} video tokens + {args.prompt_text} text "
          f"+ {args.response} response = {sequence}")
    train = base + adapters * 2 + activations + attention + logits
    print(f"training, one sequence a pass (grpo.micro_batch_rows 1): {train / GB:.1f} GB = base {base / GB:.1f} "
          f"+ activations {activations / GB:.1f} + attention {attention / GB:.1f} + logits {logits / GB:.1f} "
          f"+ adapters and their gradient {2 * adapters / GB:.1f}")
    rollouts = base + adapters + kv_cache + prefill
    print(f"rollouts, {args.group} decoded together (rollout.batch_rows {args.group}): {rollouts / GB:.1f} GB = base "
          f"{base / GB:.1f} + KV cache {kv_cache / GB:.1f} + one layer's prefill scores {prefill / GB:.1f}")


if __name__ == "__main__":
    main()
