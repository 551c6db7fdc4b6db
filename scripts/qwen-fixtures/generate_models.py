#!/usr/bin/env python3
"""Tiny random Qwen2.5-VL checkpoints and transformers 4.57.6 reference outputs for the DJL port.

Writes, for each case, under cluster/src/test/resources/qwen/models/<case>/:
  - the checkpoint as transformers' save_pretrained writes it (config.json, generation_config.json,
    model.safetensors or model-0000x-of-0000y.safetensors + model.safetensors.index.json);
  - reference.safetensors: inputs and reference outputs (float32 unless integer);
  - case.json: the case in words (config, inputs, every tensor's shape and meaning, versions).

  python generate_models.py                  # (re)write every case
  python generate_models.py --case small-tied
  python generate_models.py --check          # regenerate into a temp dir, compare with the committed files

See README.md beside this file. Everything is computed on CPU, one thread, float32, eager attention.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import safetensors  # noqa: E402
import transformers  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402
from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration  # noqa: E402

transformers.logging.set_verbosity_error()

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "cluster" / "src" / "test" / "resources" / "qwen" / "models"
EXPECTED_TORCH = "2.13.0"
EXPECTED_TRANSFORMERS = "4.57.6"
MAX_NEW_TOKENS = 8
MIN_TOP2_GAP = 1e-3
MAX_ATTEMPTS = 50


# --------------------------------------------------------------------------------------------------
# Cases


@dataclass
class Case:
    name: str
    purpose: str
    seed: int
    text: dict  # text keys, written flat into Qwen2_5_VLConfig (as released checkpoints have them)
    vision: dict
    special: dict  # image/video/vision_start/vision_end token ids
    bos: int
    eos: int
    pad: int
    text_id_range: tuple[int, int]  # random text and response ids are drawn from [lo, hi)
    grid_thw: tuple[int, int, int]
    second_per_grid_t: float
    n_text_before: int
    n_text_after: int
    n_response: int = 6
    save_dtype: torch.dtype = torch.float32
    max_shard_size: str | None = None
    layout: str = "legacy"  # "legacy" (as 4.57 writes it) or "nested" (renamed after saving)
    batch2: bool = False
    vocab_sized_outputs_trimmed: bool = False  # real vocabulary: keep the reference file small
    embed_grad_rows: bool = False  # save the embed_tokens gradient as selected rows (grad_rows/...)
    grad_full_attention_block: int = 0
    notes: list = field(default_factory=list)


SMALL_SPECIAL = dict(image_token_id=1001, video_token_id=1002, vision_start_token_id=1003, vision_end_token_id=1004)
REAL_SPECIAL = dict(image_token_id=151655, video_token_id=151656, vision_start_token_id=151652,
                    vision_end_token_id=151653)

SMALL_TEXT = dict(vocab_size=1024, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, tie_word_embeddings=True, rope_theta=1000000.0, rms_norm_eps=1e-6,
                  max_position_embeddings=4096, rope_scaling={"type": "mrope", "mrope_section": [2, 1, 1]})
SMALL_VISION = dict(depth=2, hidden_size=32, num_heads=2, intermediate_size=48, out_hidden_size=32, patch_size=14,
                    temporal_patch_size=2, spatial_merge_size=2, window_size=56, fullatt_block_indexes=[1],
                    in_channels=3, tokens_per_second=2, hidden_act="silu")

CASES = [
    Case(
        name="small-tied",
        purpose="Smallest full model: GQA 2, tied embeddings, M-RoPE sections [2,1,1], one windowed and one "
                "full-attention vision block, a grid whose height (3 merge units) is not a multiple of the 2x2-unit "
                "window, plus a left-padded batch of two.",
        seed=1000,
        text=SMALL_TEXT, vision=SMALL_VISION, special=SMALL_SPECIAL, bos=1, eos=2, pad=0,
        text_id_range=(3, 1000), grid_thw=(2, 6, 8), second_per_grid_t=1.0,
        n_text_before=8, n_text_after=10, batch2=True, grad_full_attention_block=1,
    ),
    Case(
        name="gqa4-untied-sharded",
        purpose="GQA 4 (8 query heads, 2 kv heads), head_dim 16 with M-RoPE sections [4,2,2], untied lm_head, "
                "3 vision blocks with full attention in blocks 0 and 2, a 112-px window (4x4 merge units) that "
                "the 2x5-unit grid fills only partly in both directions, 3 temporal patches, "
                "second_per_grid_ts 0.5 (truncated to 0 by 4.57's get_rope_index), checkpoint in >= 3 shards.",
        seed=2000,
        text=dict(vocab_size=1024, hidden_size=128, intermediate_size=96, num_hidden_layers=3, num_attention_heads=8,
                  num_key_value_heads=2, tie_word_embeddings=False, rope_theta=1000000.0, rms_norm_eps=1e-6,
                  max_position_embeddings=4096, rope_scaling={"type": "mrope", "mrope_section": [4, 2, 2]}),
        vision=dict(depth=3, hidden_size=48, num_heads=3, intermediate_size=96, out_hidden_size=128, patch_size=14,
                    temporal_patch_size=2, spatial_merge_size=2, window_size=112, fullatt_block_indexes=[0, 2],
                    in_channels=3, tokens_per_second=2, hidden_act="silu"),
        special=SMALL_SPECIAL, bos=1, eos=2, pad=0,
        text_id_range=(3, 1000), grid_thw=(3, 4, 10), second_per_grid_t=0.5,
        n_text_before=7, n_text_after=9, max_shard_size="1MB", grad_full_attention_block=2, embed_grad_rows=True,
    ),
    Case(
        name="other-layout",
        purpose="Same config as small-tied with other weights (another seed), its tensors renamed to the layout "
                "that 4.57's save_pretrained does not write (model.language_model.*, model.visual.*): the loader "
                "must accept both layouts. transformers 4.57.6 loads it back with no missing or unexpected keys "
                "and gives the same logits (checked when generating).",
        seed=3000,
        text=SMALL_TEXT, vision=SMALL_VISION, special=SMALL_SPECIAL, bos=1, eos=2, pad=0,
        text_id_range=(3, 1000), grid_thw=(2, 4, 6), second_per_grid_t=1.0,
        n_text_before=12, n_text_after=14, layout="nested", grad_full_attention_block=1,
    ),
    Case(
        name="bf16-real-vocab",
        purpose="Real Qwen2.5-VL vocabulary size (151936) and special token ids, weights stored as BF16. "
                "References come from the BF16 weights widened to float32 (the checkpoint loaded back with "
                "dtype=torch.float32), as the Java CPU path widens BF16 exactly. second_per_grid_ts 2.0 "
                "(temporal stride 4 position ids).",
        seed=4000,
        text=dict(vocab_size=151936, hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
                  num_key_value_heads=1, tie_word_embeddings=True, rope_theta=1000000.0, rms_norm_eps=1e-6,
                  max_position_embeddings=128000, rope_scaling={"type": "mrope", "mrope_section": [2, 1, 1]}),
        vision=dict(depth=2, hidden_size=16, num_heads=2, intermediate_size=32, out_hidden_size=16, patch_size=14,
                    temporal_patch_size=2, spatial_merge_size=2, window_size=56, fullatt_block_indexes=[1],
                    in_channels=3, tokens_per_second=2, hidden_act="silu"),
        special=REAL_SPECIAL, bos=151643, eos=151645, pad=151643,
        text_id_range=(0, 151643), grid_thw=(2, 4, 6), second_per_grid_t=2.0,
        n_text_before=12, n_text_after=14, save_dtype=torch.bfloat16, vocab_sized_outputs_trimmed=True,
        embed_grad_rows=True,
        grad_full_attention_block=1,
    ),
]


# --------------------------------------------------------------------------------------------------
# Building, initialising, saving


def make_config(case: Case) -> Qwen2_5_VLConfig:
    text = json.loads(json.dumps(case.text))  # the config mutates rope_scaling in place
    return Qwen2_5_VLConfig(
        **text,
        bos_token_id=case.bos, eos_token_id=case.eos, pad_token_id=case.pad,
        **case.special,
        vision_config=dict(case.vision),
        attn_implementation="eager",
    )


def reinit_(model: torch.nn.Module, gen: torch.Generator) -> None:
    """Every parameter drawn again so that outputs are far from degenerate.

    Embeddings N(0, 0.5); lm_head N(0, (2/sqrt(hidden))^2); other weight matrices and the patch
    convolution N(0, 1/fan_in); biases N(0, 0.2^2); RMSNorm weights N(1, 0.2^2).
    """
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("embed_tokens.weight"):
                std, mean = 0.5, 0.0
            elif name.startswith("lm_head."):
                std, mean = 2.0 / p.shape[1] ** 0.5, 0.0
            elif p.ndim == 1 and (name.endswith("norm.weight") or "norm1" in name or "norm2" in name
                                  or "layernorm" in name or "ln_q" in name):
                std, mean = 0.2, 1.0
            elif p.ndim == 1:
                std, mean = 0.2, 0.0
            else:
                fan_in = p[0].numel()
                std, mean = 1.0 / fan_in ** 0.5, 0.0
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float32) * std + mean)


def legacy_name(param_name: str) -> str:
    """Name in a checkpoint written by 4.57's save_pretrained, from the module's parameter name."""
    if param_name.startswith("model.language_model."):
        return "model." + param_name[len("model.language_model."):]
    if param_name.startswith("model.visual."):
        return param_name[len("model."):]
    return param_name


def nested_name(legacy: str) -> str:
    """The other layout (what newer transformers write): model.language_model.*, model.visual.*."""
    if legacy.startswith("visual."):
        return "model." + legacy
    if legacy.startswith("model."):
        return "model.language_model." + legacy[len("model."):]
    return legacy


def checkpoint_files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.name.endswith(".safetensors") and p.name != "reference.safetensors")


def rename_to_nested(d: Path) -> None:
    files = checkpoint_files(d)
    assert len(files) == 1 and files[0].name == "model.safetensors", files
    with safe_open(files[0], "pt") as f:
        meta = f.metadata()
        tensors = {nested_name(k): f.get_tensor(k) for k in f.keys()}
    save_file(tensors, files[0], metadata=meta)


def keys_in_checkpoint(d: Path) -> list[str]:
    keys = []
    for p in checkpoint_files(d):
        with safe_open(p, "pt") as f:
            keys.extend(f.keys())
    return sorted(keys)


def load_reference_model(d: Path) -> Qwen2_5_VLForConditionalGeneration:
    model, info = Qwen2_5_VLForConditionalGeneration.from_pretrained(
        d, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    bad = {k: v for k, v in info.items() if v}
    if bad:
        raise SystemExit(f"{d}: loading the checkpoint back reported {bad}")
    model.eval()
    return model


# --------------------------------------------------------------------------------------------------
# Inputs


def make_inputs(case: Case, gen: torch.Generator) -> dict:
    t, h, w = case.grid_thw
    vc = case.vision
    n_patches = t * h * w
    patch_dim = vc["in_channels"] * vc["temporal_patch_size"] * vc["patch_size"] ** 2
    n_video = n_patches // vc["spatial_merge_size"] ** 2
    lo, hi = case.text_id_range

    def ids(n):
        return torch.randint(lo, hi, (n,), generator=gen, dtype=torch.int64)

    before, after = ids(case.n_text_before), ids(case.n_text_after)
    video = torch.full((n_video,), case.special["video_token_id"], dtype=torch.int64)
    input_ids = torch.cat([
        before,
        torch.tensor([case.special["vision_start_token_id"]]),
        video,
        torch.tensor([case.special["vision_end_token_id"]]),
        after,
    ]).unsqueeze(0)
    pixel_values_videos = torch.randn((n_patches, patch_dim), generator=gen, dtype=torch.float32)
    response_ids = ids(case.n_response).unsqueeze(0)
    return dict(
        input_ids=input_ids,
        attention_mask=torch.ones_like(input_ids),
        pixel_values_videos=pixel_values_videos,
        video_grid_thw=torch.tensor([list(case.grid_thw)], dtype=torch.int64),
        second_per_grid_ts=torch.tensor([case.second_per_grid_t], dtype=torch.float32),
        response_ids=response_ids,
    )


# --------------------------------------------------------------------------------------------------
# Reference outputs


def greedy(model, input_ids, attention_mask, pixel_values_videos, video_grid_thw, second_per_grid_ts, pad):
    out = model.generate(
        input_ids=input_ids, attention_mask=attention_mask,
        pixel_values_videos=pixel_values_videos, video_grid_thw=video_grid_thw,
        second_per_grid_ts=second_per_grid_ts,
        max_new_tokens=MAX_NEW_TOKENS, do_sample=False, num_beams=1, use_cache=True,
        output_logits=True, return_dict_in_generate=True, pad_token_id=pad,
    )
    tokens = out.sequences[:, input_ids.shape[1]:]
    step_logits = torch.stack(out.logits, dim=1)  # [B, steps, V] raw (unprocessed) logits
    return tokens, step_logits


def check_greedy(tokens, step_logits, eos, what) -> str | None:
    """None if the greedy run is usable as a fixture, else why not."""
    if tokens.shape[1] != MAX_NEW_TOKENS:
        return f"{what}: generation stopped after {tokens.shape[1]} tokens"
    if (tokens == eos).any():
        return f"{what}: eos {eos} was generated"
    top2 = step_logits.topk(2, dim=-1).values
    gap = (top2[..., 0] - top2[..., 1]).min().item()
    if gap < MIN_TOP2_GAP:
        return f"{what}: top-2 logit gap {gap:.2e} < {MIN_TOP2_GAP}"
    if not torch.equal(step_logits.argmax(-1), tokens):
        return f"{what}: argmax of the step logits differs from the generated tokens"
    return None


def compute_references(case: Case, model, inp: dict) -> tuple[dict, dict]:
    ref: dict[str, torch.Tensor] = {}
    facts: dict = {}
    input_ids, mask = inp["input_ids"], inp["attention_mask"]
    pv, grid, spg = inp["pixel_values_videos"], inp["video_grid_thw"], inp["second_per_grid_ts"]
    V = case.text["vocab_size"]

    with torch.no_grad():
        position_ids, rope_deltas = model.model.get_rope_index(input_ids, None, grid, spg, mask)
        vision_embeds = model.model.visual(pv, grid_thw=grid)
        logits = model(input_ids=input_ids, attention_mask=mask, pixel_values_videos=pv, video_grid_thw=grid,
                       second_per_grid_ts=spg, use_cache=False).logits
        tokens, step_logits = greedy(model, input_ids, mask, pv, grid, spg, case.pad)
    problem = check_greedy(tokens, step_logits, case.eos, "batch 1")
    if problem:
        return None, problem
    # The prefill step's logits must be the prefill forward's last row (same computation).
    assert torch.allclose(step_logits[0, 0], logits[0, -1], atol=1e-5), "prefill step vs forward"

    ref["input_ids"] = input_ids
    ref["pixel_values_videos"] = pv
    ref["video_grid_thw"] = grid
    ref["second_per_grid_ts"] = spg
    ref["position_ids"] = position_ids.contiguous()
    ref["rope_deltas"] = rope_deltas.to(torch.int64)
    ref["vision_embeds"] = vision_embeds
    if case.vocab_sized_outputs_trimmed:
        ref["logits_last4"] = logits[:, -4:, :].contiguous()
        top5 = step_logits[0].topk(5, dim=-1)
        ref["greedy_step_top5_values"] = top5.values.contiguous()
        ref["greedy_step_top5_indices"] = top5.indices.contiguous()
    else:
        ref["logits"] = logits
        ref["greedy_step_logits"] = step_logits[0].contiguous()
    ref["greedy_tokens"] = tokens

    # Teacher forcing: one forward of prompt + response, log-softmax in float32, and the gradients of
    # their sum.
    resp = inp["response_ids"]
    L, R = input_ids.shape[1], resp.shape[1]
    full = torch.cat([input_ids, resp], dim=1)
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        out = model(input_ids=full, attention_mask=torch.ones_like(full), pixel_values_videos=pv,
                    video_grid_thw=grid, second_per_grid_ts=spg, use_cache=False)
        logp = torch.log_softmax(out.logits[:, L - 1:L + R - 1, :].float(), dim=-1)
        resp_logp = logp.gather(-1, resp.unsqueeze(-1)).squeeze(-1)
        resp_logp.sum().backward()
    ref["response_ids"] = resp
    ref["response_logprobs"] = resp_logp.detach()
    with torch.no_grad():
        assert torch.allclose(out.logits[:, :L], logits, atol=1e-5), "prompt part of the teacher-forced forward"

    params = dict(model.named_parameters())
    nL = case.text["num_hidden_layers"]
    fb = case.grad_full_attention_block
    assert fb in case.vision["fullatt_block_indexes"]
    wanted = [
        "model.language_model.embed_tokens.weight",
        "model.language_model.layers.0.self_attn.q_proj.weight",
        "model.language_model.layers.0.self_attn.q_proj.bias",
        f"model.language_model.layers.{nL - 1}.mlp.down_proj.weight",
        "model.language_model.norm.weight",
    ]
    if not case.text["tie_word_embeddings"]:
        wanted.append("lm_head.weight")
    wanted += [
        "model.visual.patch_embed.proj.weight",
        "model.visual.blocks.0.attn.qkv.weight",
        f"model.visual.blocks.{fb}.mlp.gate_proj.weight",
        "model.visual.merger.mlp.0.weight",
    ]
    grad_names = {}
    for pname in wanted:
        ckpt = legacy_name(pname) if case.layout == "legacy" else nested_name(legacy_name(pname))
        g = params[pname].grad
        assert g is not None and g.abs().max() > 0, pname
        grad_names[ckpt] = pname
        if case.embed_grad_rows and pname.endswith("embed_tokens.weight"):
            rows = sorted(set(full[0].tolist()) | {0, 1, V - 2, V - 1} | set(tokens[0].tolist()))
            idx = torch.tensor(rows, dtype=torch.int64)
            if not case.text["tie_word_embeddings"]:
                nonzero = set(g.abs().sum(-1).nonzero().flatten().tolist())
                # the video placeholder rows are replaced by vision embeddings: no gradient reaches them
                # the last response token feeds no predicted position: its row gets no gradient either
                expect = set(full[0, :-1].tolist()) - {case.special["video_token_id"]}
                assert nonzero == expect, f"untied embedding rows: {sorted(nonzero ^ expect)}"
            ref[f"grad_rows/{ckpt}"] = g[idx].contiguous()
            ref[f"grad_rows_index/{ckpt}"] = idx
        else:
            ref[f"grad/{ckpt}"] = g.detach().clone()
    model.zero_grad(set_to_none=True)
    facts["grad_names"] = grad_names

    if case.batch2:
        cut = 5
        row0 = input_ids[0]
        row1 = torch.cat([torch.full((cut,), case.pad, dtype=torch.int64), row0[cut:]])
        b_ids = torch.stack([row0, row1])
        b_mask = torch.ones_like(b_ids)
        b_mask[1, :cut] = 0
        b_pv = torch.cat([pv, pv], dim=0)
        b_grid = torch.cat([grid, grid], dim=0)
        b_spg = torch.cat([spg, spg], dim=0)
        with torch.no_grad():
            b_pos, b_deltas = model.model.get_rope_index(b_ids, None, b_grid, b_spg, b_mask)
            b_logits = model(input_ids=b_ids, attention_mask=b_mask, pixel_values_videos=b_pv, video_grid_thw=b_grid,
                             second_per_grid_ts=b_spg, use_cache=False).logits
            b_tokens, b_step_logits = greedy(model, b_ids, b_mask, b_pv, b_grid, b_spg, case.pad)
        problem = check_greedy(b_tokens, b_step_logits, case.eos, "batch 2")
        if problem:
            return None, problem
        if not torch.equal(b_tokens[0], tokens[0]):
            return None, "batch 2: row 0 (same prompt as batch 1) generated other tokens"
        ref["batch2_input_ids"] = b_ids
        ref["batch2_attention_mask"] = b_mask
        ref["batch2_video_grid_thw"] = b_grid
        ref["batch2_second_per_grid_ts"] = b_spg
        ref["batch2_position_ids"] = b_pos.contiguous()
        ref["batch2_rope_deltas"] = b_deltas.to(torch.int64)
        ref["batch2_logits"] = b_logits
        ref["batch2_greedy_tokens"] = b_tokens
        facts["batch2_row0_vs_batch1_max_abs_logit_diff"] = (b_logits[0] - logits[0]).abs().max().item()
        real = b_mask[1].bool()
        facts["batch2_row1_vs_unpadded_max_abs_logit_diff"] = None  # filled below
        with torch.no_grad():
            solo = model(input_ids=row0[cut:].unsqueeze(0), pixel_values_videos=pv, video_grid_thw=grid,
                         second_per_grid_ts=spg, use_cache=False).logits
        facts["batch2_row1_vs_unpadded_max_abs_logit_diff"] = (b_logits[1, real] - solo[0]).abs().max().item()

    for k, v in list(ref.items()):
        ref[k] = v.detach().contiguous()
        if ref[k].is_floating_point():
            ref[k] = ref[k].to(torch.float32)
    facts["min_top2_gap"] = (lambda t: (t[..., 0] - t[..., 1]).min().item())(step_logits.topk(2, dim=-1).values)
    return (ref, facts), None


# --------------------------------------------------------------------------------------------------
# Descriptions


def describe_tensors(case: Case, ref: dict, facts: dict) -> dict:
    L = ref["input_ids"].shape[1]
    desc = {
        "input_ids": "prompt: random text ids, vision_start, t*h*w/4 video tokens, vision_end, random text ids",
        "pixel_values_videos": "flattened video patches, standard normal (torch.randn), rows in the processor's "
                               "order: (t, h/2, w/2, 2, 2) patches of 3*2*14*14 values (C, T, H, W)",
        "video_grid_thw": "(t, h, w) in patches",
        "second_per_grid_ts": "seconds per temporal patch (float32)",
        "position_ids": "model.model.get_rope_index(input_ids, None, video_grid_thw, second_per_grid_ts, "
                        "attention_mask) [0]: rows t, h, w",
        "rope_deltas": "get_rope_index(...)[1]: max(position)+1 - L; decode step s uses position L+s+rope_delta "
                       "in all three rows",
        "vision_embeds": "model.model.visual(pixel_values_videos, grid_thw=video_grid_thw): merger output, "
                         "original (not window) order",
        "logits": f"prefill logits of the full forward (no cache) [1, L={L}, V]",
        "logits_last4": "prefill logits of the full forward, last 4 positions only",
        "greedy_tokens": f"model.generate(max_new_tokens={MAX_NEW_TOKENS}, do_sample=False, KV cache): the new "
                         "tokens; the model's eos is left enabled and never produced (all 8 tokens come out)",
        "greedy_step_logits": "raw logits (generate output_logits) at each generation step; step 0 is the "
                              "prefill's last position",
        "greedy_step_top5_values": "top-5 raw logits at each generation step, descending",
        "greedy_step_top5_indices": "token ids of greedy_step_top5_values",
        "response_ids": "random response ids, teacher-forced after the prompt",
        "response_logprobs": "log_softmax(float32) of one forward of prompt+response, taken at positions "
                             "L-1 .. L+R-2 and gathered at response_ids",
        "batch2_input_ids": "row 0 = input_ids; row 1 = input_ids without its first 5 text tokens, left-padded "
                            f"with 5 pad ids ({case.pad})",
        "batch2_attention_mask": "1 for real tokens, 0 for the left padding",
        "batch2_video_grid_thw": "video_grid_thw twice (pixel_values_videos is concatenated twice for the batch; "
                                 "not stored again)",
        "batch2_second_per_grid_ts": "second_per_grid_ts twice",
        "batch2_position_ids": "get_rope_index with the attention mask; padded positions hold 1",
        "batch2_rope_deltas": "get_rope_index(...)[1] for the batch: max(position)+1 - padded length",
        "batch2_logits": "logits of the batched forward with the attention mask. Rows at padded positions "
                         "(attention_mask 0) attend to nothing real: they are not meaningful, compare only "
                         "where attention_mask is 1",
        "batch2_greedy_tokens": "generate with the left-padded batch (KV cache, greedy, 8 new tokens each)",
    }
    out = {}
    for k, v in ref.items():
        entry = {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
        if k.startswith("grad/"):
            entry["what"] = (f"d(sum(response_logprobs))/d({k[5:]}) (module parameter {facts['grad_names'][k[5:]]})")
            if k.endswith("embed_tokens.weight") and case.text["tie_word_embeddings"]:
                entry["what"] += "; tied: includes the lm_head contribution"
        elif k.startswith("grad_rows/"):
            name = k[len("grad_rows/"):]
            tied = case.text["tie_word_embeddings"]
            entry["what"] = (f"rows grad_rows_index/{name} of d(sum(response_logprobs))/d({name}) (module parameter "
                             f"{facts['grad_names'][name]}); " +
                             ("tied: includes the lm_head contribution, every row is nonzero, only these are kept"
                              if tied else "untied: only the rows of ids at positions 0..L+R-2 of input_ids+response_ids, less the "
                                           "video token (its embeddings are replaced by vision_embeds), are nonzero; the "
                                           "others are exactly zero"))
        elif k.startswith("grad_rows_index/"):
            entry["what"] = "sorted row ids: every id in input_ids, response_ids and greedy_tokens, plus 0, 1, V-2, V-1"
        else:
            entry["what"] = desc[k]
        out[k] = entry
    return out


def case_json(case: Case, inp: dict, ref: dict, facts: dict, seed_used: int, attempts: list, ckpt_dir: Path) -> dict:
    t, h, w = case.grid_thw
    keys = keys_in_checkpoint(ckpt_dir)
    spg = case.second_per_grid_t
    tps = case.vision["tokens_per_second"]
    return {
        "case": case.name,
        "purpose": case.purpose,
        "generated_by": "scripts/qwen-fixtures/generate_models.py",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__,
                     "safetensors": safetensors.__version__},
        "model_class": "Qwen2_5_VLForConditionalGeneration",
        "attn_implementation": "eager",
        "compute_dtype": "float32",
        "checkpoint": {
            "files": sorted(p.name for p in ckpt_dir.iterdir() if p.name not in ("reference.safetensors",
                                                                                  "case.json")),
            "weights_dtype": {torch.float32: "F32", torch.bfloat16: "BF16"}[case.save_dtype],
            "layout": ("legacy, as transformers 4.57.6 save_pretrained writes it: model.embed_tokens/layers/norm, "
                       "visual.*, lm_head.* (when untied)") if case.layout == "legacy" else
                      ("nested (renamed after save_pretrained, written with safetensors.torch.save_file, metadata "
                       "{'format': 'pt'}): model.language_model.*, model.visual.*, lm_head.* (when untied)"),
            "tensor_count": len(keys),
            "lm_head_in_file": any(k.startswith("lm_head.") for k in keys),
            "references_from": ("the BF16 checkpoint loaded back with from_pretrained(dtype=torch.float32): BF16 "
                                "weights widened exactly to float32, float32 rotary inv_freq")
                               if case.save_dtype == torch.bfloat16 else
                               "the saved checkpoint loaded back with from_pretrained(dtype=torch.float32)",
        },
        "config": {"text": case.text, "vision": case.vision, "special_token_ids": case.special,
                   "bos_token_id": case.bos, "eos_token_id": case.eos, "pad_token_id": case.pad,
                   "note": "text keys are passed flat to Qwen2_5_VLConfig; config.json has them both at the top "
                           "level and in text_config; rope_scaling 'type': 'mrope' is written back as "
                           "'type'/'rope_type': 'default'"},
        "seed": {"base": case.seed, "used": seed_used, "rejected": attempts,
                 "how": "torch.Generator seeded with 'used' re-draws every parameter (embeddings N(0,0.5), lm_head "
                        "N(0,(2/sqrt(hidden))^2), matrices N(0,1/fan_in), biases N(0,0.04), norm weights "
                        "N(1,0.04)), then draws input ids, pixel_values_videos, response ids, in that order; "
                        "a seed is rejected when a greedy step has a top-2 logit gap < 1e-3 or eos comes out"},
        "inputs": {
            "input_ids": inp["input_ids"][0].tolist(),
            "layout": f"{case.n_text_before} text ids, vision_start, {t * h * w // 4} video tokens, vision_end, "
                      f"{case.n_text_after} text ids",
            "video_grid_thw": [t, h, w],
            "pixel_values_videos": f"torch.randn [{t * h * w}, {inp['pixel_values_videos'].shape[1]}] (stored in "
                                   "reference.safetensors)",
            "second_per_grid_ts": [spg],
            "temporal_position_step": f"int64(second_per_grid_ts)={int(spg)} * tokens_per_second {tps} = "
                                      f"{int(spg) * tps} (4.57 casts second_per_grid_ts to int64 before multiplying)",
            "response_ids": inp["response_ids"][0].tolist(),
            "text_ids_drawn_from": list(case.text_id_range),
        },
        "checks": {k: v for k, v in facts.items() if k != "grad_names"},
        "tensors": describe_tensors(case, ref, facts),
    }


# --------------------------------------------------------------------------------------------------
# One case


def build_case(case: Case, out_dir: Path) -> None:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    rejected = []
    for attempt in range(MAX_ATTEMPTS):
        seed = case.seed + attempt
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        config = make_config(case)
        model = Qwen2_5_VLForConditionalGeneration(config)
        reinit_(model, gen)
        inp = make_inputs(case, gen)
        model.eval()

        tmp = Path(tempfile.mkdtemp(prefix=f"qwen-{case.name}-"))
        try:
            saved = model.to(case.save_dtype) if case.save_dtype != torch.float32 else model
            kwargs = {"max_shard_size": case.max_shard_size} if case.max_shard_size else {}
            saved.save_pretrained(tmp, safe_serialization=True, **kwargs)
            if case.layout == "nested":
                with torch.no_grad():
                    before = model(**{k: v for k, v in inp.items() if k != "response_ids"}).logits
                rename_to_nested(tmp)
            ref_model = load_reference_model(tmp)
            if case.layout == "nested":
                with torch.no_grad():
                    after = ref_model(**{k: v for k, v in inp.items() if k != "response_ids"}).logits
                if not torch.equal(before, after):
                    raise SystemExit(f"{case.name}: logits differ after renaming ({(before - after).abs().max()})")
            result, problem = compute_references(case, ref_model, inp)
            if problem:
                rejected.append({"seed": seed, "why": problem})
                print(f"  {case.name}: seed {seed} rejected: {problem}", file=sys.stderr)
                continue
            ref, facts = result
            if case.layout == "nested":
                facts["nested_layout_logits_equal_in_memory_model"] = True
            shutil.copytree(tmp, out_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        save_file(ref, out_dir / "reference.safetensors", metadata={"format": "pt"})
        doc = case_json(case, inp, ref, facts, seed, rejected, out_dir)
        (out_dir / "case.json").write_text(json.dumps(doc, indent=2) + "\n")
        out_dir.chmod(0o755)
        for p in out_dir.iterdir():
            p.chmod(0o644)
        return
    raise SystemExit(f"{case.name}: no usable seed in {MAX_ATTEMPTS} attempts: {rejected}")


# --------------------------------------------------------------------------------------------------
# Check mode


def compare_dirs(fresh: Path, committed: Path) -> list[str]:
    problems = []
    a = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    b = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.exists() else set()
    for rel in sorted(a ^ b):
        problems.append(f"{rel}: only in {'the fresh run' if rel in a else 'the committed files'}")
    for rel in sorted(a & b):
        if filecmp.cmp(fresh / rel, committed / rel, shallow=False):
            continue
        if rel.suffix == ".safetensors":
            x, y = load_file(fresh / rel), load_file(committed / rel)
            diff = [k for k in sorted(set(x) | set(y))
                    if k not in x or k not in y or x[k].dtype != y[k].dtype or not torch.equal(x[k], y[k])]
            if not diff:
                problems.append(f"{rel}: bytes differ but every tensor is equal (header or order)")
                continue
            problems.append(f"{rel}: tensors differ: {diff}")
        else:
            problems.append(f"{rel}: contents differ")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output root (default {DEFAULT_OUT})")
    ap.add_argument("--case", action="append", choices=[c.name for c in CASES], help="only these cases")
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temporary directory and compare with the files under --out")
    args = ap.parse_args()

    if not torch.__version__.startswith(EXPECTED_TORCH) or transformers.__version__ != EXPECTED_TRANSFORMERS:
        raise SystemExit(f"need torch {EXPECTED_TORCH} and transformers {EXPECTED_TRANSFORMERS}, have "
                         f"{torch.__version__} and {transformers.__version__} (see setup-venv.sh)")
    cases = [c for c in CASES if not args.case or c.name in args.case]

    if args.check:
        problems = []
        with tempfile.TemporaryDirectory(prefix="qwen-fixtures-check-") as tmp:
            for case in cases:
                print(f"{case.name}: regenerating", file=sys.stderr)
                build_case(case, Path(tmp) / case.name)
                problems += [f"{case.name}/{p}" for p in compare_dirs(Path(tmp) / case.name, args.out / case.name)]
        exact = [p for p in problems if "every tensor is equal" not in p]
        for p in problems:
            print(p)
        if exact:
            print(f"--check: {len(exact)} difference(s)")
            return 1
        print(f"--check: {len(cases)} case(s) identical to {args.out}")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    for case in cases:
        print(f"{case.name}: generating", file=sys.stderr)
        build_case(case, args.out / case.name)
        size = sum(p.stat().st_size for p in (args.out / case.name).iterdir())
        print(f"{case.name}: {size / 1e6:.2f} MB in {args.out / case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
