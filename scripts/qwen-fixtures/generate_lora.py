#!/usr/bin/env python3
"""PEFT LoRA adapters on the tiny Qwen2.5-VL checkpoints, and what peft 0.21.0 computes with them.

Writes, for each case, under cluster/src/test/resources/qwen/lora/<case>/:
  - adapter/: the adapter as PeftModel.save_pretrained writes it (adapter_config.json,
    adapter_model.safetensors; not its model card), its B matrices drawn at random so that it changes the model;
  - reference.safetensors: the response log-probabilities of the base case's inputs with the adapter
    (response_logprobs) and without (base_response_logprobs), and the gradient of their sum with
    respect to every adapter tensor (grad/<the adapter file's tensor name>);
  - case.json: the case in words.

  python generate_lora.py            # (re)write every case
  python generate_lora.py --check    # regenerate into a temp dir, compare with the committed files

Run generate_models.py first: the bases are its checkpoints and inputs. CPU, one thread, float32.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import peft  # noqa: E402
import transformers  # noqa: E402
from peft import LoraConfig, PeftModel, get_peft_model  # noqa: E402
from transformers import Qwen2_5_VLForConditionalGeneration  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_models import EXPECTED_TORCH, EXPECTED_TRANSFORMERS, compare_dirs, load_reference_model  # noqa: E402

transformers.logging.set_verbosity_error()

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "cluster" / "src" / "test" / "resources" / "qwen" / "models"
DEFAULT_OUT = REPO / "cluster" / "src" / "test" / "resources" / "qwen" / "lora"
EXPECTED_PEFT = "0.21.0"
LM = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj",
      "mlp.down_proj")


@dataclass
class Case:
    name: str
    purpose: str
    base: str
    seed: int
    rank: int
    alpha: int
    lm_modules: tuple[str, ...]
    vision_modules: tuple[str, ...]  # attn.qkv, attn.proj, mlp.gate_proj, ... of every vision block
    merge: bool = False  # also record what merge_and_unload makes of the adapted weights, the base in its own dtype


CASES = [
    Case("lm-all", "the default targets: every projection of the language model's attention and MLP", "small-tied",
         seed=31, rank=4, alpha=8, lm_modules=LM, vision_modules=()),
    Case("lm-and-vision", "some language-model projections and the vision tower's attention, on the other tensor layout",
         "other-layout", seed=32, rank=2, alpha=6, lm_modules=("self_attn.q_proj", "self_attn.v_proj"),
         vision_modules=("attn.qkv", "attn.proj")),
    Case("bf16-merge", "merging into BF16 weights: the delta rounded to BF16 before it is added, as merge_and_unload does",
         "bf16-real-vocab", seed=33, rank=2, alpha=4, lm_modules=("self_attn.q_proj", "mlp.down_proj"),
         vision_modules=("attn.qkv",), merge=True),
]


def target_names(model, case: Case) -> list[str]:
    """Full module names, so that PEFT adapts exactly these (a bare "gate_proj" would also hit the vision MLPs)."""
    names = []
    for name, _ in model.named_modules():
        parts = name.split(".", 4)
        if len(parts) < 5:
            continue
        if name.startswith("model.language_model.layers.") and parts[4] in case.lm_modules:
            names.append(name)
        elif name.startswith("model.visual.blocks.") and parts[4] in case.vision_modules:
            names.append(name)
    assert names, case.name
    return sorted(names)


def inputs(base: str) -> dict:
    ref = load_file(MODELS / base / "reference.safetensors")
    return {
        "input_ids": ref["input_ids"],
        "pixel_values_videos": ref["pixel_values_videos"],
        "video_grid_thw": ref["video_grid_thw"],
        "second_per_grid_ts": ref["second_per_grid_ts"],
        "response_ids": ref["response_ids"],
    }


def response_logprobs(model, inp: dict) -> torch.Tensor:
    ids, resp = inp["input_ids"], inp["response_ids"]
    L, R = ids.shape[1], resp.shape[1]
    full = torch.cat([ids, resp], dim=1)
    out = model(input_ids=full, attention_mask=torch.ones_like(full), pixel_values_videos=inp["pixel_values_videos"],
                video_grid_thw=inp["video_grid_thw"], second_per_grid_ts=inp["second_per_grid_ts"], use_cache=False)
    logp = torch.log_softmax(out.logits[:, L - 1:L + R - 1, :].float(), dim=-1)
    return logp.gather(-1, resp.unsqueeze(-1)).squeeze(-1)


def build_case(case: Case, out_dir: Path) -> None:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    torch.manual_seed(case.seed)
    gen = torch.Generator().manual_seed(case.seed)
    model = load_reference_model(MODELS / case.base)
    inp = inputs(case.base)
    with torch.no_grad():
        base_logp = response_logprobs(model, inp)
    targets = target_names(model, case)
    config = LoraConfig(r=case.rank, lora_alpha=case.alpha, lora_dropout=0.0, target_modules=targets, bias="none")
    peft_model = get_peft_model(model, config)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.copy_(torch.randn(param.shape, generator=gen) * 0.5)
    peft_model.eval()
    tmp = Path(tempfile.mkdtemp(prefix=f"qwen-lora-{case.name}-"))
    try:
        peft_model.save_pretrained(tmp / "adapter")
        # What a user does: the base, then the saved adapter on it.
        loaded = PeftModel.from_pretrained(load_reference_model(MODELS / case.base), tmp / "adapter")
        loaded.eval()
        saved = load_file(tmp / "adapter" / "adapter_model.safetensors")
        params = {name.replace(".default", ""): p for name, p in loaded.named_parameters() if "lora_" in name}
        assert set(params) == set(saved), sorted(set(params) ^ set(saved))
        for p in loaded.parameters():
            p.requires_grad_(False)
        for p in params.values():
            p.requires_grad_(True)
        with torch.enable_grad():
            logp = response_logprobs(loaded, inp)
            logp.sum().backward()
        assert (logp - base_logp).abs().max() > 1e-2, "the adapter changes the model"
        ref = {"response_logprobs": logp.detach(), "base_response_logprobs": base_logp}
        for name in sorted(saved):
            grad = params[name].grad
            assert grad is not None and grad.abs().max() > 0, name
            ref[f"grad/{name}"] = grad.detach().clone()
        if case.merge:
            # The base in the dtype it was saved in, the adapter on it, merged: the weights a merged export must hold.
            stored, _ = Qwen2_5_VLForConditionalGeneration.from_pretrained(MODELS / case.base, dtype="auto",
                                                                            output_loading_info=True)
            merged = PeftModel.from_pretrained(stored, tmp / "adapter").merge_and_unload()
            state = merged.state_dict()
            for module in targets:
                legacy = module.replace("model.language_model.", "model.").replace("model.visual.", "visual.")
                ref[f"merged/{legacy}.weight"] = state[f"{module}.weight"].detach().clone().contiguous()
        # Machine-independent files: the base named by its fixture folder, not this checkout's path, and the
        # targets in order (PEFT keeps them as a set, written in hash order); no model card (it names the path).
        (tmp / "adapter" / "README.md").unlink()
        config_file = tmp / "adapter" / "adapter_config.json"
        written = json.loads(config_file.read_text())
        written["base_model_name_or_path"] = f"qwen/models/{case.base}"
        written["target_modules"] = sorted(written["target_modules"])
        config_file.write_text(json.dumps(written, indent=2, sort_keys=True) + "\n")
        shutil.copytree(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    save_file(ref, out_dir / "reference.safetensors", metadata={"format": "pt"})
    doc = {
        "case": case.name,
        "purpose": case.purpose,
        "base": f"../../models/{case.base}",
        "lora": {"r": case.rank, "lora_alpha": case.alpha, "lora_dropout": 0.0, "target_modules": len(targets),
                 "lora_B": "drawn N(0, 0.25) so that the adapter changes the outputs; lora_A as PEFT initialises it"},
        "reference": {
            "response_logprobs": "log-softmax (float32) of the base case's response_ids after its prompt, adapter on",
            "base_response_logprobs": "the same without the adapter",
            "grad/<name>": "d sum(response_logprobs) / d <adapter tensor name>",
            **({"merged/<checkpoint name>": "the adapted weights after merge_and_unload, base loaded in its own dtype"}
               if case.merge else {}),
        },
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
    }
    (out_dir / "case.json").write_text(json.dumps(doc, indent=2) + "\n")
    for p in out_dir.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="regenerate into a temporary directory and compare")
    args = ap.parse_args()
    if (not torch.__version__.startswith(EXPECTED_TORCH) or transformers.__version__ != EXPECTED_TRANSFORMERS
            or peft.__version__ != EXPECTED_PEFT):
        raise SystemExit(f"need torch {EXPECTED_TORCH}, transformers {EXPECTED_TRANSFORMERS} and peft {EXPECTED_PEFT}, "
                         f"have {torch.__version__}, {transformers.__version__} and {peft.__version__} (see setup-venv.sh)")
    if args.check:
        problems = []
        with tempfile.TemporaryDirectory(prefix="qwen-lora-check-") as tmp:
            for case in CASES:
                build_case(case, Path(tmp) / case.name)
                problems += [f"{case.name}/{p}" for p in compare_dirs(Path(tmp) / case.name, args.out / case.name)]
        for p in problems:
            print(p)
        exact = [p for p in problems if "every tensor is equal" not in p]
        print(f"--check: {len(exact)} difference(s)" if exact else f"--check: {len(CASES)} case(s) identical to {args.out}")
        return 1 if exact else 0
    for case in CASES:
        build_case(case, args.out / case.name)
        size = sum(p.stat().st_size for p in (args.out / case.name).rglob("*") if p.is_file())
        print(f"{case.name}: {size / 1e6:.2f} MB in {args.out / case.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
