#!/usr/bin/env bash
# Builds the reference venv for generate_models.py from the local package mirror (no internet).
#
#   scripts/qwen-fixtures/setup-venv.sh [VENV_DIR]      (default: scripts/qwen-fixtures/.venv)
#
# Mirror folders are found on disk, or given with environment variables:
#   QWEN_PYPI_SIMPLE  PEP 503 index folder(s) (simple/), space-separated; default: every one found
#                     that lists transformers
#   QWEN_TORCH_DIR    folder holding torch-2.13.0+cpu-*.whl
#   QWEN_MORE_DIR     folder holding transformers-4.57.6-*.whl, huggingface_hub, tokenizers-0.22.2, av ...
#   PYTHON            the interpreter to build the venv with (default python3; 3.11 matches the torch wheel)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-$here/.venv}"
python="${PYTHON:-python3}"

find_dir() { # $1: find arguments producing a file or folder; prints the first hit's parent or itself
  find / -maxdepth 5 "$@" -print -quit 2>/dev/null || true
}

# Every PEP 503 folder that lists transformers is used (the first as --index-url, the others as extra
# indexes): on this machine kind /opt/pypi/simple holds the dependencies, /opt/pypi-more/simple a few more.
simples=()
if [[ -n "${QWEN_PYPI_SIMPLE:-}" ]]; then
  read -r -a simples <<<"$QWEN_PYPI_SIMPLE"
else
  while IFS= read -r hit; do simples+=("$(dirname "$hit")"); done < <(
    find / -maxdepth 5 -type d -path '*/simple/transformers' 2>/dev/null | sort)
fi
simple="${simples[0]:-}"
index_args=(--index-url "file://$simple")
for s in "${simples[@]:1}"; do index_args+=(--extra-index-url "file://$s"); done
torch_dir="${QWEN_TORCH_DIR:-}"
if [[ -z "$torch_dir" ]]; then
  hit="$(find_dir -name 'torch-2.13.0*cpu*.whl')"
  [[ -n "$hit" ]] && torch_dir="$(dirname "$hit")"
fi
more_dir="${QWEN_MORE_DIR:-}"
if [[ -z "$more_dir" ]]; then
  hit="$(find_dir -name 'transformers-4.57.6-*.whl')"
  [[ -n "$hit" ]] && more_dir="$(dirname "$hit")"
fi
for v in simple torch_dir more_dir; do
  if [[ -z "${!v}" || ! -d "${!v}" ]]; then
    echo "setup-venv.sh: cannot find the mirror folder '$v' (set QWEN_PYPI_SIMPLE, QWEN_TORCH_DIR, QWEN_MORE_DIR)" >&2
    exit 2
  fi
done
echo "indexes:    ${simples[*]}"
echo "torch from: $torch_dir"
echo "more from:  $more_dir"
echo "venv:       $venv"

"$python" -m venv "$venv"
# Ignore pip configuration files (this machine's adds a constraints file and extra indexes): the venv
# is made from the folders named here only.
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT
pip=("$venv/bin/pip" --disable-pip-version-check --no-input)
"${pip[@]}" install "${index_args[@]}" --find-links "$torch_dir" --find-links "$more_dir" \
  torch==2.13.0 huggingface_hub==1.33.0 safetensors tokenizers==0.22.2 pillow numpy \
  regex pyyaml requests packaging tqdm filelock av
# transformers 4.57.6 pins huggingface_hub<1.0 and only 1.x/2.x are in the mirror: install it without
# its dependencies (all installed above) and relax the pin it checks at import time.
"${pip[@]}" install --no-deps "${index_args[@]}" --find-links "$more_dir" transformers==4.57.6
table="$("$venv/bin/python" - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("transformers")
print(os.path.join(os.path.dirname(spec.origin), "dependency_versions_table.py"))
PY
)"
sed -i 's/"huggingface-hub>=0.34.0,<1.0"/"huggingface-hub>=0.34.0"/' "$table"
# peft (generate_lora.py) and what it needs beyond the above; without its dependencies too, for the same pin.
"${pip[@]}" install "${index_args[@]}" --find-links "$more_dir" psutil accelerate==1.15.0
"${pip[@]}" install --no-deps "${index_args[@]}" --find-links "$more_dir" peft==0.21.0

"$venv/bin/python" - <<'PY'
import torch, transformers, safetensors, tokenizers, huggingface_hub, numpy, peft
assert torch.__version__.startswith("2.13.0"), torch.__version__
assert peft.__version__ == "0.21.0", peft.__version__
assert transformers.__version__ == "4.57.6", transformers.__version__
assert tokenizers.__version__ == "0.22.2", tokenizers.__version__
from transformers import Qwen2_5_VLForConditionalGeneration  # noqa: F401  (import check)
print("torch", torch.__version__, "| transformers", transformers.__version__,
      "| tokenizers", tokenizers.__version__, "| huggingface_hub", huggingface_hub.__version__,
      "| safetensors", safetensors.__version__, "| numpy", numpy.__version__, "| peft", peft.__version__)
PY
