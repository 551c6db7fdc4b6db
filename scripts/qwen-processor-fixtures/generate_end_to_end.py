"""End-to-end reference for `videorl generate`: a Qwen2.5-VL checkpoint folder as a user has it
(the bf16-real-vocab tiny random weights of scripts/qwen-fixtures, the real tokenizer, the
Qwen2.5-VL chat template and preprocessor config of this folder's generate.py), one of this
folder's MP4s through qwen-vl-utils' frame choice and transformers' processor, then greedy
decoding with transformers 4.57.6 (eager, float32). Writes
cluster/src/test/resources/qwen/end-to-end/expected.json.

Run with this folder's venv (README.md), after `mvn -pl cluster generate-test-resources`:
    scripts/qwen-processor-fixtures/.venv/bin/python scripts/qwen-processor-fixtures/generate_end_to_end.py
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate as processor_fixtures  # noqa: E402  (imports torch and torchvision as the processor fixtures do)

import torch  # noqa: E402
from transformers import AutoProcessor, Qwen2_5_VLForConditionalGeneration  # noqa: E402

ROOT = HERE.parent.parent
RESOURCES = ROOT / "cluster" / "src" / "test" / "resources" / "qwen"
WEIGHTS = RESOURCES / "models" / "bf16-real-vocab"
VIDEO = RESOURCES / "processor" / "videos" / "clip_112x84_8fps.mp4"
OPTIONS = {"fps": 2.0, "min_pixels": 3136}
MAX_NEW_TOKENS = 8


def main():
    torch.manual_seed(0)
    tokenizer_dir = ROOT / "cluster" / "target" / "qwen-tokenizer"
    if not (tokenizer_dir / "tokenizer.json").is_file():
        sys.exit(f"no tokenizer.json in {tokenizer_dir}: run `mvn -pl cluster generate-test-resources` first")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        processor_fixtures.make_checkpoint(tokenizer_dir, folder)
        for name in ("config.json", "generation_config.json", "model.safetensors"):
            shutil.copy(WEIGHTS / name, folder / name)
        processor = AutoProcessor.from_pretrained(folder)
        model = Qwen2_5_VLForConditionalGeneration.from_pretrained(folder, dtype=torch.float32,
                                                                   attn_implementation="eager").eval()

        frames, video_fps = processor_fixtures.read_video_rgb(VIDEO)
        element = {"type": "video", "video": str(VIDEO), **OPTIONS}
        indices, sample_fps = processor_fixtures.qvu.choose_frames(element, frames.shape[0], video_fps)
        video = processor_fixtures.qvu.resize_video(element, torch.from_numpy(frames).permute(0, 3, 1, 2)[indices])
        messages = [{"role": "system", "content": processor_fixtures.SYSTEM_PROMPT},
                    {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": processor_fixtures.USER_TEXT}]}]
        prompt = processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        inputs = processor(text=[prompt], videos=[video], fps=[sample_fps], return_tensors="pt")
        with torch.no_grad():
            output = model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False,
                                    output_logits=True, return_dict_in_generate=True)
        prompt_length = inputs["input_ids"].shape[1]
        response = output.sequences[0, prompt_length:].tolist()
        logprobs = [torch.log_softmax(step[0].float(), -1)[token].item() for step, token in zip(output.logits, response)]

    expected = {
        "video": VIDEO.name,
        "options": OPTIONS,
        "system_prompt": processor_fixtures.SYSTEM_PROMPT,
        "user_text": processor_fixtures.USER_TEXT,
        "max_new_tokens": MAX_NEW_TOKENS,
        "prompt_ids": inputs["input_ids"][0].tolist(),
        "response_ids": response,
        "response": processor.batch_decode([response], skip_special_tokens=True)[0],
        "logprobs": logprobs,
        "video_grid_thw": inputs["video_grid_thw"][0].tolist(),
        "frame_indices": indices.tolist(),
    }
    out = RESOURCES / "end-to-end"
    out.mkdir(parents=True, exist_ok=True)
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out / 'expected.json'}: response {response}")


if __name__ == "__main__":
    main()
