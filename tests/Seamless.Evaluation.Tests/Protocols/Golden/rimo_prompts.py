#!/usr/bin/env python3
"""Golden prompts for RimoBenchmarkTests: the rule of 评测多标签.py (RimoChan/stable-diffusion-anime-tag-benchmark at
749a17944302165eb06e182621592ad3ac0d5061), restated here from its source, on a made-up tag list (the real list may not
be bundled):
    rd = random.Random(tags_seed)            # tags_seed = 0, a fresh generator for each tag count m
    标签组 = rd.sample(要测的标签, m)            # per prompt
    标签组 = [i.strip().replace(' ', '_') for i in 标签组]
    prompt = f'1 girl, {", ".join(标签组)}'
Regenerate with Debian's python3:
    python3 tests/Seamless.Evaluation.Tests/Protocols/Golden/rimo_prompts.py > tests/Seamless.Evaluation.Tests/Protocols/Golden/rimo_prompts.json
"""
import json
import random
import sys

tags = [f"tag {i:04d}" for i in range(1500)]
out = {}
for m, n in ((2, 110), (4, 100), (8, 90), (16, 80), (32, 70), (64, 60), (128, 50)):
    rd = random.Random(0)
    prompts = []
    for _ in range(n):
        group = [t.strip().replace(" ", "_") for t in rd.sample(tags, m)]
        prompts.append(f'1 girl, {", ".join(group)}')
    out[str(m)] = {"count": n, "first": prompts[:3], "last": prompts[-1]}
json.dump(out, sys.stdout, indent=0, ensure_ascii=False)
