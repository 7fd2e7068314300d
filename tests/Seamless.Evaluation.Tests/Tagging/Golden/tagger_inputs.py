#!/usr/bin/env python3
"""Golden tagger inputs for TaggerPreprocessorGoldenTests, written independently of Seamless from the reference
preprocessing of each tagger family, with Debian's python3-pil and python3-numpy:

- WD (SmilingWolf's wd-tagger app): composite RGBA on white, pad to a white square (image centred), resize to the
  model's size with PIL BICUBIC, RGB → BGR, float32 0–255, NHWC.
- ML-Danbooru (ml_danbooru.py of RimoChan/stable-diffusion-anime-tag-benchmark @ 320a57b3): fill the background white,
  resize with PIL BILINEAR to (size, size) — or, keep_ratio, the short side to size and the long side in proportion,
  both floored to a multiple of 4 — RGB, /255, CHW.

The source images are made here from a fixed numpy seed (RGBA, some pixels transparent), and written too so the C#
test decodes exactly these pixels.

Regenerate:
    python3 tests/Seamless.Evaluation.Tests/Tagging/Golden/tagger_inputs.py > tests/Seamless.Evaluation.Tests/Tagging/Golden/tagger_inputs.json
"""
import json
import sys

import numpy as np
from PIL import Image


def fill_white(img):
    canvas = Image.new("RGBA", img.size, "white")
    canvas.paste(img, mask=img)
    return canvas.convert("RGB")


def wd(img, size):
    rgb = fill_white(img)
    side = max(rgb.size)
    square = Image.new("RGB", (side, side), (255, 255, 255))
    square.paste(rgb, ((side - rgb.size[0]) // 2, (side - rgb.size[1]) // 2))
    resized = square.resize((size, size), Image.BICUBIC)
    return np.asarray(resized, dtype=np.float32)[:, :, ::-1]  # HWC, BGR, 0-255


def ml_danbooru(img, size, keep_ratio):
    rgb = fill_white(img)
    if keep_ratio:
        w, h = rgb.size
        m = min(w, h)
        target = (int(w / m * size) // 4 * 4, int(h / m * size) // 4 * 4)
    else:
        target = (size, size)
    resized = rgb.resize(target, Image.BILINEAR)
    return np.asarray(resized, dtype=np.uint8).astype(np.float32).transpose(2, 0, 1) / 255  # CHW, RGB, 0-1


rng = np.random.default_rng(20261204)
cases = []
for (w, h), size in (((37, 23), 16), ((20, 52), 24), ((64, 64), 24), ((9, 9), 16)):
    rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(rng.random((h, w)) < 0.2, rng.integers(0, 256, (h, w)), 255)
    img = Image.fromarray(rgba, "RGBA")
    case = {"width": w, "height": h, "size": size, "rgba": rgba.flatten().tolist(),
            "wd": np.round(wd(img, size), 4).flatten().tolist(),
            "ml_danbooru": np.round(ml_danbooru(img, size, False), 6).flatten().tolist()}
    kept = ml_danbooru(img, size, True)
    case["keep_ratio_shape"] = list(kept.shape[1:])
    cases.append(case)
json.dump({"python": sys.version.split()[0], "pillow": Image.__version__, "cases": cases}, sys.stdout)
