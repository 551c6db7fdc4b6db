#!/usr/bin/env python3
"""Tokenizer and config of the from-scratch Qwen2.5-VL that `videorl demo --model qwen2_5_vl` trains.

Writes, into cluster/src/main/resources/ai/videorl/cluster/demo/qwen/ (no weights: Java draws them):
  tokenizer.json            byte-level BPE trained on the synthetic benchmark's text, Qwen2's pipeline
  tokenizer_config.json     as Qwen2.5-VL's, for these special tokens
  chat_template.json        Qwen2.5-VL's processor template
  preprocessor_config.json  Qwen2.5-VL's, with small pixel limits
  config.json, generation_config.json   transformers' save_pretrained of the configs (never a model)

  python generate_demo_base.py --corpus DIR            # DIR from `bin/videorl synth --out DIR --videos 2000 --seed 1`
  python generate_demo_base.py --corpus DIR --check    # regenerate into a temp dir, compare byte for byte

See README.md beside this file. Run in the venv of scripts/qwen-fixtures/setup-venv.sh.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import re
import statistics
import sys
import tempfile
import unicodedata
from pathlib import Path

import tokenizers
import transformers
from tokenizers import AddedToken, Tokenizer, pre_tokenizers
from tokenizers.trainers import BpeTrainer
from transformers import AutoTokenizer, GenerationConfig, Qwen2_5_VLConfig

EXPECTED = {"tokenizers": "0.22.2", "transformers": "4.57.6"}
for _module in (tokenizers, transformers):
    if _module.__version__ != EXPECTED[_module.__name__]:
        sys.exit(f"{_module.__name__} {_module.__version__}: this script writes the files with "
                 f"{EXPECTED[_module.__name__]} only (the bytes depend on the version); use scripts/qwen-fixtures/setup-venv.sh")
transformers.logging.set_verbosity_error()

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "cluster/src/main/resources/ai/videorl/cluster/demo/qwen"
PROCESSOR_FIXTURE = REPO / "cluster/src/test/resources/qwen/processor/checkpoint"

# Qwen's strings; ids 0..6 in this order.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
                  "<|image_pad|>", "<|video_pad|>"]
ID = {token: i for i, token in enumerate(SPECIAL_TOKENS)}
# An upper bound: the corpus has far fewer distinct words than this allows (see README), so the
# trainer stops when every word is one token. The model's vocabulary stays MODEL_VOCAB, as Qwen's
# embedding is larger than its tokenizer (151,936 rows, 151,665 tokens).
TOKENIZER_VOCAB = 1024
MODEL_VOCAB = 1024
MAX_POSITIONS = 4096

# Qwen2's tokenizer.json pipeline, copied from Qwen's file: NFC, its split regex (a digit is always
# its own piece), then bytes mapped to printable characters; the decoder maps them back.
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")
PIPELINE = {
    "normalizer": {"type": "NFC"},
    "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": QWEN_SPLIT}, "behavior": "Isolated", "invert": False}, BYTE_LEVEL]},
    "post_processor": BYTE_LEVEL,
    "decoder": BYTE_LEVEL,
}
BPE_MODEL = {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
             "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False}

# The recipes' instructions are read from their Java source (Recipe.instructions() of each), the
# text every prompt ends with: synth does not write them and no command prints them, and a copy here
# could drift (a changed instruction changes the tokenizer, which --check then reports).
RECIPE_SOURCES = {"videop2r": "VideoP2R", "videoauto-r1": "VideoAutoR1", "video-r2": "VideoR2"}
JAVA_LITERAL = r'"(?:[^"\\\n]|\\.)*"'


def java_instructions(recipe: str) -> str:
    """The string instructions() returns: its literals and same-file String constants, joined by +."""
    path = REPO / "common/src/main/java/ai/videorl/common/recipe" / f"{RECIPE_SOURCES[recipe]}.java"
    source = path.read_text(encoding="utf-8")
    method = re.search(r"public String instructions\(\)\s*\{\s*return((?:\s*(?:" + JAVA_LITERAL + r"|\w+|\+))+)\s*;\s*\}",
                       source)
    if method is None:
        sys.exit(f"{path}: no instructions() returning string literals and constants joined by +")
    constants = dict(re.findall(r"static final String (\w+) = (" + JAVA_LITERAL + ");", source))
    parts = []
    for part in re.findall(JAVA_LITERAL + r"|\w+", method.group(1)):
        if not part.startswith('"') and part not in constants:
            sys.exit(f"{path}: instructions() uses {part}, not a String constant of that file")
        literal = constants.get(part, part)[1:-1]
        parts.append(re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), literal))
    return "".join(parts)


INSTRUCTIONS = {recipe: java_instructions(recipe) for recipe in RECIPE_SOURCES}
# The chat template's own words and SFT's caption prompt (SftTrainer.CAPTION_PROMPT).
FIXED_TEXTS = ["system", "You are a helpful assistant.", "user", "assistant", "Describe the video."]
# Not sample fields: what is left in a references.jsonl line is one response per recipe.
REFERENCE_FIELDS = {"id", "caption", "objects"}

TEXT_CONFIG = dict(vocab_size=MODEL_VOCAB, hidden_size=128, intermediate_size=384, num_hidden_layers=4,
                   num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=True,
                   max_position_embeddings=MAX_POSITIONS, rope_theta=1000000.0, rms_norm_eps=1e-6,
                   rope_scaling={"type": "mrope", "mrope_section": [8, 4, 4]}, hidden_act="silu",
                   initializer_range=0.02)
VISION_CONFIG = dict(depth=2, hidden_size=64, num_heads=2, intermediate_size=128, out_hidden_size=128, patch_size=14,
                     spatial_merge_size=2, temporal_patch_size=2, window_size=112, fullatt_block_indexes=[1],
                     in_channels=3, tokens_per_second=2, hidden_act="silu", initializer_range=0.02)
# 4 to 16 merged patches (56x56 to 112x112 pixels) for images and transformers' processor; Java sizes
# video frames as qwen-vl-utils does (VideoPreprocessor), capped by the run's video.frame_size.
PIXELS = {"min_pixels": 4 * 28 * 28, "max_pixels": 16 * 28 * 28}


# --------------------------------------------------------------------------------------------------
# Corpus


def prompt_text(sample: dict) -> str:
    """The question as PromptLayout.text writes it: the problem, then each option on its own line."""
    return "\n".join([sample["problem"], *sample.get("options", [])])


def read_corpus(directory: Path) -> tuple[list[str], list[str], dict[str, list[str]], list[str]]:
    """(corpus in sorted order, prompt texts, references per recipe, captions) of a synth directory."""
    prompts = [prompt_text(json.loads(line)) for line in open(directory / "manifest.jsonl", encoding="utf-8")]
    references: dict[str, list[str]] = {}
    captions = []
    for line in open(directory / "references.jsonl", encoding="utf-8"):
        row = json.loads(line)
        captions.append(row["caption"])
        for recipe, response in row.items():
            if recipe not in REFERENCE_FIELDS:
                references.setdefault(recipe, []).append(response)
    if not prompts or sorted(references) != sorted(INSTRUCTIONS):
        sys.exit(f"{directory}: expected samples and references for {sorted(INSTRUCTIONS)}, got "
                 f"{len(prompts)} samples and {sorted(references)}")
    # Every text as often as the data has it (frequencies decide the merge order); sorted, because
    # the trainer's result may depend on the order it sees texts in.
    corpus = sorted(prompts + captions + [r for rs in references.values() for r in rs]
                    + list(INSTRUCTIONS.values()) + FIXED_TEXTS)
    return corpus, prompts, references, captions


# --------------------------------------------------------------------------------------------------
# Writing


def train_tokenizer(corpus: list[str]) -> Tokenizer:
    skeleton = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [], **PIPELINE,
                "model": {**BPE_MODEL, "vocab": {}, "merges": []}}
    tokenizer = Tokenizer.from_str(json.dumps(skeleton))
    trainer = BpeTrainer(vocab_size=TOKENIZER_VOCAB, show_progress=False,
                         special_tokens=[AddedToken(t, special=True, normalized=False) for t in SPECIAL_TOKENS],
                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet())  # every byte, so any text encodes
    tokenizer.train_from_iterator(corpus, trainer)
    # The trainer resets these to null; Qwen's file says "" (the same behaviour).
    trained = json.loads(tokenizer.to_str())
    trained["model"].update({k: v for k, v in BPE_MODEL.items() if k != "type"})
    return Tokenizer.from_str(json.dumps(trained))


def write_json(path: Path, value: dict, sort_keys: bool) -> None:
    path.write_text(json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n", encoding="utf-8")


def write(directory: Path, corpus: list[str]) -> Tokenizer:
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer(corpus)
    tokenizer.save(str(directory / "tokenizer.json"), pretty=True)
    for token, i in ID.items():
        assert tokenizer.token_to_id(token) == i, (token, tokenizer.token_to_id(token))

    template = json.loads((PROCESSOR_FIXTURE / "chat_template.json").read_text(encoding="utf-8"))
    (directory / "chat_template.json").write_bytes((PROCESSOR_FIXTURE / "chat_template.json").read_bytes())
    preprocessor = json.loads((PROCESSOR_FIXTURE / "preprocessor_config.json").read_text(encoding="utf-8"))
    write_json(directory / "preprocessor_config.json", {**preprocessor, **PIXELS}, sort_keys=False)

    # Qwen2.5-VL's tokenizer_config.json, less the special tokens this vocabulary does not have.
    decoder = {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                        "special": True} for t, i in ID.items()}
    write_json(directory / "tokenizer_config.json", {
        "add_bos_token": False, "add_prefix_space": False, "added_tokens_decoder": decoder,
        "additional_special_tokens": SPECIAL_TOKENS[1:], "bos_token": None,
        "chat_template": template["chat_template"], "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>", "errors": "replace", "extra_special_tokens": {},
        "model_max_length": MAX_POSITIONS, "pad_token": "<|endoftext|>", "processor_class": "Qwen2_5_VLProcessor",
        "split_special_tokens": False, "tokenizer_class": "Qwen2Tokenizer", "unk_token": None},
        sort_keys=True)  # as transformers writes it

    bos = pad = ID["<|endoftext|>"]
    eos = ID["<|im_end|>"]
    config = Qwen2_5_VLConfig(
        **json.loads(json.dumps(TEXT_CONFIG)),  # a copy: the config rewrites rope_scaling in place
        bos_token_id=bos, eos_token_id=eos, pad_token_id=pad, dtype="float32",
        architectures=["Qwen2_5_VLForConditionalGeneration"],  # what a model's save_pretrained would add
        image_token_id=ID["<|image_pad|>"], video_token_id=ID["<|video_pad|>"],
        vision_start_token_id=ID["<|vision_start|>"], vision_end_token_id=ID["<|vision_end|>"],
        vision_config=dict(VISION_CONFIG))
    config.save_pretrained(directory)
    # Released Qwen2.5-VL checkpoints stop at <|im_end|> or <|endoftext|>.
    GenerationConfig(bos_token_id=bos, eos_token_id=[eos, ID["<|endoftext|>"]], pad_token_id=pad) \
        .save_pretrained(directory)
    return tokenizer


# --------------------------------------------------------------------------------------------------
# Checks and figures


ARBITRARY = ["Grüße, Jürgen! naïve café — “quotes” ‘single’ … ½ ° € £ ¥",
             "日本語のテキスト、中文文本，한국어 텍스트", "emoji 👩‍👩‍👧‍👦 🎥🔴🟦 flags 🇫🇷🇯🇵",
             "tabs\tand\r\nCRLF\n\n\n  spaces   \u00a0nbsp\u2009thin \u200bzero-width",
             "control \x00\x01\x1f\x7f bytes", "Ελληνικά Русский עברית العربية हिन्दी",
             "math ∑∫√∞ ≤ ≥ ≠ and \\boxed{42} </think><answer>C. a red circle</answer>",
             "<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>Which?<|im_end|>\n"]


def verify(directory: Path, tokenizer: Tokenizer, corpus: list[str]) -> None:
    """Round trips, and transformers loading what was written; exits on a failure."""
    failures = []
    for text in sorted(set(corpus)) + ARBITRARY:
        if tokenizer.decode(tokenizer.encode(text).ids, skip_special_tokens=False) != text:
            failures.append(text)
    # Qwen's NFC normalizer composes characters: decomposed input comes back composed (as with Qwen's).
    decomposed = "cafe\u0301 n\u0303"
    if tokenizer.decode(tokenizer.encode(decomposed).ids) != unicodedata.normalize("NFC", decomposed):
        failures.append(decomposed)
    if failures:
        sys.exit(f"encode-decode changes {len(failures)} texts, e.g. {failures[:3]!r}")

    hf = AutoTokenizer.from_pretrained(directory)
    assert type(hf).__name__ == "Qwen2TokenizerFast", type(hf)
    assert hf.eos_token_id == ID["<|im_end|>"] and hf.pad_token_id == ID["<|endoftext|>"]
    messages = [{"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "Which colour?"}]}]
    rendered = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    expected = ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                "<|vision_start|><|video_pad|><|vision_end|>Which colour?<|im_end|>\n<|im_start|>assistant\n")
    assert rendered == expected, rendered
    ids = hf.apply_chat_template(messages, tokenize=True, add_generation_prompt=True)
    assert ids == tokenizer.encode(expected).ids and ids.count(ID["<|video_pad|>"]) == 1, ids

    config = Qwen2_5_VLConfig.from_pretrained(directory)
    assert (config.video_token_id, config.image_token_id, config.vision_start_token_id, config.vision_end_token_id,
            config.text_config.eos_token_id, config.text_config.vocab_size) == (
        ID["<|video_pad|>"], ID["<|image_pad|>"], ID["<|vision_start|>"], ID["<|vision_end|>"], ID["<|im_end|>"],
        MODEL_VOCAB)
    assert tokenizer.get_vocab_size() <= config.text_config.vocab_size
    assert GenerationConfig.from_pretrained(directory).eos_token_id == [ID["<|im_end|>"], ID["<|endoftext|>"]]


def figures(tokenizer: Tokenizer, prompts: list[str], references: dict[str, list[str]], captions: list[str]) -> None:
    def lengths(texts):
        counts = [len(e.ids) for e in tokenizer.encode_batch(texts)]
        return f"mean {statistics.fmean(counts):6.1f}  max {max(counts):4d}  (n={len(counts)})"

    print(f"tokenizer: {tokenizer.get_vocab_size()} tokens ({len(SPECIAL_TOKENS)} special, 256 bytes, "
          f"{tokenizer.get_vocab_size() - len(SPECIAL_TOKENS) - 256} merges); model vocabulary {MODEL_VOCAB}")
    print(f"  question + options         {lengths(prompts)}")
    for recipe in sorted(references):
        print(f"  user message, {recipe:12} {lengths([p + chr(10) + INSTRUCTIONS[recipe] for p in prompts])}")
    for recipe in sorted(references):
        print(f"  reference, {recipe:15} {lengths(references[recipe])}")
    print(f"  caption                    {lengths(captions)}")
    frame = ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
             "<|vision_start|><|video_pad|><|vision_end|><|im_end|>\n<|im_start|>assistant\n")
    print(f"  chat template around the user message: {len(tokenizer.encode(frame).ids)} tokens "
          f"(one <|video_pad|> before the processor expands it)")
    # A tag's tokens depend on its neighbours (Qwen's split joins "<" to the letters after it and
    # runs of punctuation such as "><"): count the tokens overlapping each occurrence in the references.
    tags = ["<observation>", "</observation>", "<think>", "</think>", "<answer>", "</answer>", "\\boxed{", "}"]
    print("  tags alone: " + ", ".join(f"{t} {tokenizer.encode(t).tokens}" for t in tags))
    for recipe in sorted(references):
        spans = {tag: {} for tag in tags}
        for text, encoding in zip(references[recipe], tokenizer.encode_batch(references[recipe])):
            for tag in tags:
                for match in re.finditer(re.escape(tag), text):
                    n = sum(1 for a, b in encoding.offsets if a < match.end() and b > match.start())
                    spans[tag][n] = spans[tag].get(n, 0) + 1
        print(f"  tokens per tag in {recipe} references: "
              + ", ".join(f"{t} {sorted(c)}" for t, c in spans.items() if c))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True,
                        help="a synth directory: bin/videorl synth --out DIR --videos 2000 --seed 1")
    parser.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    args = parser.parse_args()
    corpus, prompts, references, captions = read_corpus(args.corpus)
    if not args.check:
        tokenizer = write(OUT, corpus)
        verify(OUT, tokenizer, corpus)
        figures(tokenizer, prompts, references, captions)
        print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir())), "to", OUT.relative_to(REPO))
        return 0
    with tempfile.TemporaryDirectory() as fresh:
        write(Path(fresh), corpus)
        names = sorted(p.name for p in Path(fresh).iterdir())
        extra = sorted(set(p.name for p in OUT.iterdir()) - set(names)) if OUT.is_dir() else []
        _, mismatch, errors = filecmp.cmpfiles(fresh, OUT, names, shallow=False)
        if mismatch or errors or extra:
            print("differ:", mismatch, "missing:", errors, "not written by the script:", extra)
            return 1
    print(f"identical: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
