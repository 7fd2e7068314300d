#!/usr/bin/env python3
"""Golden draws of CPython's random.Random for PythonRandomTests (the rimo protocol draws its prompts' tags with
random.Random(tags_seed).sample(tag_list, m), RimoChan/stable-diffusion-anime-tag-benchmark 评测多标签.py).

Regenerate (Debian's python3, nothing else):
    python3 tests/Seamless.Evaluation.Tests/Protocols/Golden/python_random.py > tests/Seamless.Evaluation.Tests/Protocols/Golden/python_random.json
"""
import json
import random
import sys

out = {"python": sys.version.split()[0], "uint32": {}, "samples": []}
for seed in (0, 1, 12345, 2**40 + 7):
    r = random.Random(seed)
    out["uint32"][str(seed)] = [r.getrandbits(32) for _ in range(8)]

# The benchmark's shape: one generator per tag count, prompts drawn one after another from it.
for seed in (0, 1, 2023):
    for population in (30, 1500):
        for k in (1, 2, 5, 6, 8, 32, 128):
            if k > population:
                continue
            r = random.Random(seed)
            draws = [r.sample(range(population), k) for _ in range(3)]
            out["samples"].append({"seed": seed, "population": population, "k": k, "draws": draws})

json.dump(out, sys.stdout, indent=0)
