#!/usr/bin/env python3
"""Golden data for the diversity tests (ClipDiversityGoldenTests), written independently of Seamless with Debian's
python3-pil and python3-numpy.

1. CLIP's image preprocessing as transformers' CLIPImageProcessor applies it (restated here from its rules, since
   transformers is not a Debian package): convert to RGB (alpha dropped), resize with PIL BICUBIC so the short side is
   `shortest_edge` and the long side int(shortest_edge * long / short), centre-crop with top = (h - crop) // 2 and
   left = (w - crop) // 2, rescale by 1/255 (in float64, then float32), normalise (x - mean) / std in float32, CHW.
2. A tiny image encoder, the one TinyEncoderBuilder writes as ONNX: average-pool in pool x pool cells, flatten
   (channel, row, column), tanh(x @ W1 + B1) @ W2 -- evaluated here in float64 from the same weights.
3. The benchmark's diversity (评测多标签.py @ 749a1794 of RimoChan/stable-diffusion-anime-tag-benchmark): the cosine
   similarity of consecutive images of each prompt (itertools.pairwise), 1 - the mean over all pairs.

The images and weights come from a fixed numpy seed and are written into the JSON, so the C# test uses exactly them.

Regenerate:
    /usr/bin/python3 tests/Seamless.Evaluation.Tests/Diversity/Golden/clip_diversity.py > tests/Seamless.Evaluation.Tests/Diversity/Golden/clip_diversity.json
"""
import itertools
import json

import numpy as np
from PIL import Image

CROP, POOL, HIDDEN, EMBED, EDGE = 16, 4, 8, 6, 20
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(img):
    rgb = img.convert("RGB")
    w, h = rgb.size
    if w <= h:
        size = (EDGE, int(EDGE * h / w))
    else:
        size = (int(EDGE * w / h), EDGE)
    if size != rgb.size:
        rgb = rgb.resize(size, Image.BICUBIC)
    w, h = rgb.size
    top, left = (h - CROP) // 2, (w - CROP) // 2
    arr = np.asarray(rgb, dtype=np.uint8)[top:top + CROP, left:left + CROP]
    x = (arr.astype(np.float64) * (1 / 255)).astype(np.float32)
    x = (x - MEAN) / STD
    return x.transpose(2, 0, 1)


def encode(x, w1, b1, w2):
    g = CROP // POOL
    pooled = x.astype(np.float64).reshape(3, g, POOL, g, POOL).mean(axis=(2, 4)).reshape(-1)
    return np.tanh(pooled @ w1 + b1) @ w2


def cos(a, b):
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


rng = np.random.default_rng(20261205)
features = 3 * (CROP // POOL) ** 2
w1 = rng.normal(0, 0.6, (features, HIDDEN)).astype(np.float32)
b1 = rng.normal(0, 0.1, HIDDEN).astype(np.float32)
w2 = rng.normal(0, 0.5, (HIDDEN, EMBED)).astype(np.float32)

cases = []
embeddings = []
base = rng.integers(0, 256, (40, 40, 3))
for (w, h), alpha in (((37, 23), False), ((20, 52), True), ((16, 16), False), ((64, 64), False), ((25, 20), False), ((20, 20), False)):
    # Images of one prompt resemble each other: a shared base plus noise, so similarities are not all near zero.
    noise = rng.integers(-60, 61, (h, w, 3))
    rgb = np.clip(np.asarray(Image.fromarray(base.astype(np.uint8)).resize((w, h), Image.BILINEAR), dtype=np.int64) + noise, 0, 255)
    a = rng.integers(0, 256, (h, w, 1)) if alpha else np.full((h, w, 1), 255)
    rgba = np.concatenate([rgb, a], axis=2).astype(np.uint8)
    x = preprocess(Image.fromarray(rgba, "RGBA"))
    e = encode(x, w1, b1, w2)
    embeddings.append(e)
    cases.append({"width": w, "height": h, "rgba": rgba.flatten().tolist(),
                  "input": np.round(x, 6).flatten().tolist(), "embedding": e.tolist()})

prompts = [[0, 1, 2], [3, 4, 5]]
sims = [cos(embeddings[i], embeddings[j]) for p in prompts for i, j in itertools.pairwise(p)]
print(json.dumps({
    "encoder": {"crop": CROP, "pool": POOL, "hidden": HIDDEN, "embed": EMBED, "shortest_edge": EDGE,
                "w1": w1.flatten().tolist(), "b1": b1.tolist(), "w2": w2.flatten().tolist()},
    "cases": cases,
    "prompts": prompts,
    "similarities": sims,
    "diversity": 1 - float(np.mean(sims)),
}))
