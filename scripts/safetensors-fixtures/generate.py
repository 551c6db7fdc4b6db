"""Writes the safetensors fixtures the Java reader and writer tests compare against.

Every file is written by the real `safetensors` package (the Rust crate behind it) and every
expected value is computed by torch, so the Java code is checked against the reference, not
against itself. Needs torch, safetensors and huggingface_hub; no network.

    python generate.py                 # rewrites cluster/src/test/resources/safetensors/
    python generate.py --verify PATH   # loads a file or checkpoint directory written by the Java writer
"""

import argparse
import json
import math
import os
import shutil
import struct
import sys

import torch
from huggingface_hub import split_torch_state_dict_into_shards
from safetensors import safe_open
from safetensors.torch import load_file, save_file

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(REPOSITORY, "cluster", "src", "test", "resources", "safetensors")


def bits_to_f32(pattern):
    return struct.unpack("<f", struct.pack("<I", pattern))[0]


def f32_from_bits(patterns):
    return torch.tensor(patterns, dtype=torch.int64).to(torch.int32).view(torch.float32)


def f32_edges():
    """Float32 values at every boundary the widening and narrowing code must get right."""
    patterns = [
        0x00000000, 0x80000000,  # +0, -0
        0x00000001, 0x80000001,  # smallest subnormals
        0x007FFFFF, 0x807FFFFF,  # largest subnormals
        0x00800000, 0x80800000,  # smallest normals
        0x7F7FFFFF, 0xFF7FFFFF,  # largest finite
        0x7F800000, 0xFF800000,  # infinities
        0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF, 0xFFFFFFFF, 0x7FC12345,  # NaNs, quiet and signalling
        0x3F800000, 0xBF800000, 0x40490FDB,  # 1, -1, pi
    ]
    return f32_from_bits([p if p < 2**31 else p - 2**32 for p in patterns])


def narrowing_inputs():
    """Float32 inputs whose float16 and bfloat16 roundings are easy to get wrong."""
    values = []
    # bfloat16 keeps the top 16 bits: ties (low half 0x8000) round to even, either side of a tie
    # rounds to nearest, and a carry can ripple into the exponent or up to infinity.
    for high in (0x3F80, 0x3F81, 0x4049, 0x7F7F, 0xFF7F, 0x0000, 0x0001, 0x007F, 0x8080):
        for low in (0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF):
            values.append(bits_to_f32((high << 16) | low))
    # float16: 10 mantissa bits, so the 13 low bits of a normal float32 are dropped.
    for base in (0x3F800000, 0x3F802000, 0x47000000, 0x477FE000):
        for low in (0x0000, 0x0001, 0x0FFF, 0x1000, 0x1001, 0x1FFF):
            values.append(bits_to_f32(base | low))
    # float16 overflow: 65504 is the largest finite half; 65520 is the tie that rounds to infinity.
    values += [65504.0, 65504.5, 65519.0, 65519.996, 65520.0, 65536.0, -65520.0, 1e10, -1e10]
    # float16 subnormals (2^-24 steps below 2^-14) and underflow to zero at half the smallest one.
    tiny = 2.0 ** -24
    for k in (0.25, 0.5, 0.5000001, 0.75, 1.0, 1.5, 2.5, 3.5, 1023.0, 1023.5, 1024.0):
        values += [k * tiny, -k * tiny]
    values += [2.0 ** -14, 2.0 ** -14 * (1 - 2 ** -12), 6.1e-5, 5.96e-8, 2.98e-8, 2.9802326e-8]
    values += [0.1, 0.2, 0.3, 1 / 3, -2 / 3, 1e-3, 3.14159265, 2.718281828]
    generator = torch.Generator().manual_seed(20240611)
    # Values spread over the whole float32 exponent range, and random bit patterns (NaN payloads included).
    exponents = torch.randint(-140, 128, (1500,), generator=generator).to(torch.float64)
    mantissas = torch.rand(1500, generator=generator, dtype=torch.float64) + 1
    signs = torch.randint(0, 2, (1500,), generator=generator) * 2 - 1
    spread = (signs * mantissas * torch.pow(2.0, exponents)).to(torch.float32)
    patterns = torch.randint(-2**31, 2**31, (1500,), generator=generator, dtype=torch.int64)
    random_bits = patterns.to(torch.int32).view(torch.float32)
    return torch.cat([f32_edges(), torch.tensor(values, dtype=torch.float32), spread, random_bits])


def half_patterns(step):
    """Every step-th 16-bit pattern, plus each pattern next to a class boundary."""
    chosen = set(range(0, 65536, step))
    for boundary in (0x0000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0x7C01, 0x7DFF, 0x7E00, 0x7FFF):
        chosen.add(boundary)
        chosen.add(boundary | 0x8000)
    return torch.tensor(sorted(chosen), dtype=torch.int32).to(torch.int16)


def brain_patterns(step):
    chosen = set(range(0, 65536, step))
    for boundary in (0x0000, 0x0001, 0x007F, 0x0080, 0x7F7F, 0x7F80, 0x7F81, 0x7FBF, 0x7FC0, 0x7FFF):
        chosen.add(boundary)
        chosen.add(boundary | 0x8000)
    return torch.tensor(sorted(chosen), dtype=torch.int32).to(torch.int16)


def dtypes_checkpoint():
    """One tensor per dtype, each floating one with its float32 widening by torch beside it."""
    half = half_patterns(7).view(torch.float16)
    brain = brain_patterns(13).view(torch.bfloat16)
    generator = torch.Generator().manual_seed(7)
    matrix = torch.randn(3, 4, 5, generator=generator)
    tensors = {
        "f32_edges": f32_edges(),
        "f32_matrix": matrix,
        "f16_patterns": half,
        "f16_patterns.as_f32": half.float(),
        "f16_matrix": matrix.half(),
        "f16_matrix.as_f32": matrix.half().float(),
        "bf16_patterns": brain,
        "bf16_patterns.as_f32": brain.float(),
        "bf16_matrix": matrix.bfloat16(),
        "bf16_matrix.as_f32": matrix.bfloat16().float(),
        "scalar_f32": torch.tensor(-2.5),
        "scalar_bf16": torch.tensor(3.140625, dtype=torch.bfloat16),
        "scalar_bf16.as_f32": torch.tensor(3.140625, dtype=torch.bfloat16).float(),
        "empty_f32": torch.zeros(0, 3),
        "empty_bf16": torch.zeros(2, 0, dtype=torch.bfloat16),
        "ids_i64": torch.tensor([[0, 1, -1], [2**62, -2**63, 2**63 - 1]], dtype=torch.int64),
        "ids_i32": torch.tensor([7, -2**31, 2**31 - 1], dtype=torch.int32),
        "f64_values": torch.tensor([1.0, -0.5], dtype=torch.float64),
        "i16_values": torch.tensor([-3, 4], dtype=torch.int16),
        "i8_values": torch.tensor([-128, 127], dtype=torch.int8),
        "u8_values": torch.tensor([0, 255], dtype=torch.uint8),
        "bool_values": torch.tensor([True, False, True]),
    }
    directory = os.path.join(OUTPUT, "dtypes")
    os.makedirs(directory, exist_ok=True)
    save_file(tensors, os.path.join(directory, "model.safetensors"), metadata={"format": "pt", "fixture": "dtypes"})


def narrowing_checkpoint():
    """Float32 inputs with torch's float16 (.half()) and bfloat16 (.bfloat16()) of each."""
    inputs = narrowing_inputs()
    tensors = {"inputs": inputs, "inputs.as_f16": inputs.half(), "inputs.as_bf16": inputs.bfloat16()}
    save_file(tensors, os.path.join(OUTPUT, "narrowing.safetensors"), metadata={"format": "pt"})


def sharded_state_dict():
    """A small Qwen-like state dict; the Java sharded-writer test builds the same tensors."""
    generator = torch.Generator().manual_seed(11)
    return {
        "model.embed_tokens.weight": torch.randn(16, 8, generator=generator).bfloat16(),
        "model.layers.0.self_attn.q_proj.weight": torch.randn(8, 8, generator=generator).bfloat16(),
        "model.layers.0.self_attn.q_proj.bias": torch.randn(8, generator=generator).bfloat16(),
        "model.layers.0.mlp.up_proj.weight": torch.randn(12, 8, generator=generator).bfloat16(),
        "model.norm.weight": torch.ones(8, dtype=torch.bfloat16),
        "lm_head.weight": torch.randn(16, 8, generator=generator).bfloat16(),
    }


def save_sharded(state_dict, directory, max_shard_size):
    """What transformers' save_pretrained writes: huggingface_hub's split, shards with format=pt,
    and the index as json.dumps(indent=2, sort_keys=True) plus a newline."""
    if os.path.isdir(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    split = split_torch_state_dict_into_shards(
        state_dict, filename_pattern="model{suffix}.safetensors", max_shard_size=max_shard_size)
    for filename, names in split.filename_to_tensors.items():
        shard = {name: state_dict[name].contiguous() for name in names}
        save_file(shard, os.path.join(directory, filename), metadata={"format": "pt"})
    if split.is_sharded:
        index = {"metadata": dict(split.metadata), "weight_map": split.tensor_to_filename}
        with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
            f.write(json.dumps(index, indent=2, sort_keys=True) + "\n")
    return split


def sharded_checkpoint():
    state_dict = sharded_state_dict()
    with_twins = dict(state_dict)
    for name, tensor in state_dict.items():
        with_twins[name + ".as_f32"] = tensor.float()
    # 3 shards: each bf16 matrix with its float32 twin is about 0.3-0.8 KB.
    split = save_sharded(with_twins, os.path.join(OUTPUT, "sharded"), 1200)
    assert len(split.filename_to_tensors) == 3, split.filename_to_tensors.keys()
    # The reference for the Java sharded writer: the same state dict (values given by the test as
    # float32 and narrowed to bf16 by the writer), split at 700 bytes.
    sources = {name: tensor.float() for name, tensor in state_dict.items()}
    save_file(sources, os.path.join(OUTPUT, "writer-sharded-inputs.safetensors"))
    save_sharded(state_dict, os.path.join(OUTPUT, "writer-sharded"), 700)


def writer_reference():
    """A file the Java writer must reproduce byte for byte from the same values."""
    values = torch.arange(-6, 6, dtype=torch.float32) * 0.3
    tensors = {
        "b.weight": values.reshape(3, 4),
        "a.half": values.reshape(2, 6).half(),
        "c.brain": values.bfloat16(),
        "d.ids": torch.tensor([[3, -1], [2**40, 0]], dtype=torch.int64),
        "e.scalar": torch.tensor(0.75),
        "f.empty": torch.zeros(0, 2, dtype=torch.bfloat16),
        "0.first": values[:3].clone(),
    }
    save_file(tensors, os.path.join(OUTPUT, "writer-reference.safetensors"), metadata={"format": "pt"})


def generate():
    os.makedirs(OUTPUT, exist_ok=True)
    dtypes_checkpoint()
    narrowing_checkpoint()
    sharded_checkpoint()
    writer_reference()
    total = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(OUTPUT) for name in names)
    print(f"wrote {OUTPUT} ({total} bytes) with torch {torch.__version__}")


def verify(path):
    """Loads what the Java writer wrote with the reference reader, and checks its narrowing:
    a tensor `X.f16` or `X.bf16` beside a float32 `X` must equal torch's .half() or .bfloat16() of X
    bit for bit, except that a NaN need only be NaN (torch's NaN bits differ between its own kernels)."""
    if os.path.isdir(path):
        index = os.path.join(path, "model.safetensors.index.json")
        if os.path.isfile(index):
            with open(index) as f:
                weight_map = json.load(f)["weight_map"]
            files = sorted(set(weight_map.values()))
        else:
            weight_map = None
            files = ["model.safetensors"]
        files = [os.path.join(path, name) for name in files]
    else:
        weight_map = None
        files = [path]
    tensors = {}
    for file in files:
        with safe_open(file, framework="pt") as opened:
            print(f"{file}: metadata {opened.metadata()}")
        loaded = load_file(file)
        for name in loaded:
            if weight_map is not None and weight_map.get(name) != os.path.basename(file):
                sys.exit(f"FAIL: {name} is in {file} but the index says {weight_map.get(name)}")
        tensors.update(loaded)
    if weight_map is not None and set(weight_map) != set(tensors):
        sys.exit(f"FAIL: the index names {sorted(set(weight_map) ^ set(tensors))} differently from the shards")
    checked = 0
    nans = 0
    for name, tensor in sorted(tensors.items()):
        print(f"  {name}: {str(tensor.dtype).removeprefix('torch.')} {list(tensor.shape)}")
        for suffix, narrow in ((".f16", torch.Tensor.half), (".bf16", torch.Tensor.bfloat16)):
            source = tensors.get(name.removesuffix(suffix)) if name.endswith(suffix) else None
            if source is not None and source.dtype == torch.float32:
                expected = narrow(source)
                nan = torch.isnan(expected)
                same = torch.equal(torch.isnan(tensor), nan) and torch.equal(
                    tensor.view(torch.int16)[~nan], expected.view(torch.int16)[~nan])
                if tensor.dtype != expected.dtype or not same:
                    sys.exit(f"FAIL: {name} differs from torch's narrowing of {name.removesuffix(suffix)}")
                checked += 1
                nans += int(nan.sum())
    print(f"OK: {len(tensors)} tensors in {len(files)} file(s) loaded by safetensors "
          f"{__import__('safetensors').__version__}; {checked} narrowings bit-identical to torch {torch.__version__}"
          f" ({nans} NaN elements compared as NaN)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verify", metavar="PATH", help="a .safetensors file or checkpoint directory to check")
    arguments = parser.parse_args()
    if arguments.verify:
        verify(arguments.verify)
    else:
        generate()
