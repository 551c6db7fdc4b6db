"""The default video policy of PolicyBenchmark in plain PyTorch, for a like-for-like comparison.

Same architecture (benchmarks/README.md, docs/policy.md): 3-neighbour frame stacking, a 4x4
patch convolution, a residual 3x3 convolution, max-pool to one token per frame; pre-norm causal
transformer d=64, 4 layers, 4 heads, GELU MLP, learned positions, tied output; vocabulary 160;
8 frames of 32x32, 12 prompt tokens, 24 response tokens. Same workloads: sampling at T=1 with a
KV cache (tokens/s at batch 1 and 16) and the GRPO clipped loss's forward and backward pass
(sequences/s at batch 1 and 16).

Run: apt-get install python3-torch; /usr/bin/python3 benchmarks/pytorch/policy_reference.py
"""
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)

V, D, L, H, S, FR, P, R = 160, 64, 4, 4, 32, 8, 12, 24
E = D // H
MAX_LEN = 192


def param(*shape, scale=0.02):
    return (torch.randn(*shape) * scale).requires_grad_()


params = {
    "conv1.w": param(D, 9, 4, 4), "conv1.b": torch.zeros(D, requires_grad=True),
    "conv2.w": param(D, D, 3, 3), "conv2.b": torch.zeros(D, requires_grad=True),
    "frame_pos": param(FR, D), "embed": param(V, D), "pos": param(MAX_LEN, D),
    "final.g": torch.ones(D, requires_grad=True), "final.b": torch.zeros(D, requires_grad=True),
}
for l in range(L):
    params.update({
        f"{l}.n1g": torch.ones(D, requires_grad=True), f"{l}.n1b": torch.zeros(D, requires_grad=True),
        f"{l}.qkv.w": param(D, 3 * D), f"{l}.qkv.b": torch.zeros(3 * D, requires_grad=True),
        f"{l}.out.w": param(D, D), f"{l}.out.b": torch.zeros(D, requires_grad=True),
        f"{l}.n2g": torch.ones(D, requires_grad=True), f"{l}.n2b": torch.zeros(D, requires_grad=True),
        f"{l}.m1.w": param(D, 4 * D), f"{l}.m1.b": torch.zeros(4 * D, requires_grad=True),
        f"{l}.m2.w": param(4 * D, D), f"{l}.m2.b": torch.zeros(D, requires_grad=True),
    })
p = params


def encode_frames(frames):
    b, f = frames.shape[:2]
    prev = torch.cat([frames[:, :1], frames[:, :-1]], 1)
    nxt = torch.cat([frames[:, 1:], frames[:, -1:]], 1)
    x = torch.cat([prev, frames, nxt], 2).reshape(b * f, 9, S, S)
    h = F.relu(F.conv2d(x, p["conv1.w"], p["conv1.b"], stride=4))
    r = F.relu(F.conv2d(h, p["conv2.w"], p["conv2.b"], padding=1))
    return (h + r).amax(dim=(2, 3)).reshape(b, f, D) + p["frame_pos"][:f]


def forward(frame_tokens, ids, cache, start):
    x = F.one_hot(ids, V).float() @ p["embed"]
    if frame_tokens is not None:
        x = torch.cat([frame_tokens, x], 1)
    t = x.shape[1]
    x = x + p["pos"][start:start + t]
    mask = torch.full((t, start + t), float("-inf")).triu(start + 1)
    for l in range(L):
        hq = F.layer_norm(x, (D,), p[f"{l}.n1g"], p[f"{l}.n1b"]) @ p[f"{l}.qkv.w"] + p[f"{l}.qkv.b"]
        q, k, v = hq.reshape(x.shape[0], t, 3, H, E).permute(2, 0, 3, 1, 4)
        if l in cache:
            k = torch.cat([cache[l][0], k], 2)
            v = torch.cat([cache[l][1], v], 2)
        cache[l] = (k, v)
        a = ((q @ k.transpose(-1, -2)) / E ** 0.5 + mask).softmax(-1) @ v
        x = x + a.transpose(1, 2).reshape(x.shape[0], t, D) @ p[f"{l}.out.w"] + p[f"{l}.out.b"]
        m = F.gelu(F.layer_norm(x, (D,), p[f"{l}.n2g"], p[f"{l}.n2b"]) @ p[f"{l}.m1.w"] + p[f"{l}.m1.b"])
        x = x + m @ p[f"{l}.m2.w"] + p[f"{l}.m2.b"]
    return F.layer_norm(x, (D,), p["final.g"], p["final.b"]) @ p["embed"].T


@torch.no_grad()
def generate(frames, prompts):
    cache = {}
    logits = forward(encode_frames(frames), prompts, cache, 0)
    length = FR + P
    out = []
    for _ in range(R):
        token = torch.multinomial(logits[:, -1].softmax(-1), 1)
        out.append(token)
        logits = forward(None, token, cache, length)
        length += 1
    return torch.cat(out, 1)


def train_step(frames, prompts, responses, old, adv):
    full = torch.cat([prompts, responses], 1)
    logits = forward(encode_frames(frames), full, {}, 0)[:, FR + P - 1:FR + P - 1 + R]
    logp = logits.log_softmax(-1).gather(-1, responses.unsqueeze(-1)).squeeze(-1)
    ratio = (logp - old).clamp(-20, 20).exp()
    loss = torch.max(-adv * ratio, -adv * ratio.clamp(0.8, 1.2)).mean()
    for t in params.values():
        t.grad = None
    loss.backward()
    return torch.cat([t.grad.flatten() for t in params.values()])


def rate(work, units, seconds=6.0):
    work()  # warm up
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        work()
        done += units
    return done / (time.perf_counter() - start)


for batch in (1, 16):
    frames = torch.rand(batch, FR, 3, S, S)
    prompts = torch.randint(4, V, (batch, P))
    responses = torch.randint(4, V, (batch, R))
    old = torch.full((batch, R), -5.0)
    adv = torch.randn(batch, R)
    tokens = rate(lambda: generate(frames, prompts), batch * R)
    sequences = rate(lambda: train_step(frames, prompts, responses, old, adv), batch)
    print(f"batch {batch:2d}: {tokens:8.0f} generated tokens/s, {sequences:6.1f} training sequences/s"
          f"  (torch {torch.__version__}, {torch.get_num_threads()} threads)")
