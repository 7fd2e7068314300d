#!/usr/bin/env python3
"""Baseline optimisers for the landscape suite (benchmarks/Seamless.Benchmarks/SuiteBenchmark.cs), one per process.

usage: python3 ask_tell.py METHOD DIMENSIONS SEED
  METHOD: bayes_opt | cmaes | tpe | random

Line protocol on stdin/stdout, all JSON, the unit cube [0, 1]^d, maximised:
  in : {"probe": [..] or null}          once, first: a point to evaluate first (the base model: the zeros probe)
  out: {"x": [..]}                      a point to evaluate
  in : {"y": value}                     its observed value
  ... until stdin closes. The caller reads the returned point itself: the best observed value, which is what
  bayes_opt's `max` and Optuna's `best_params` give.

Needs Debian's python3-numpy, python3-scipy, python3-sklearn, python3-cmaes and python3-optuna; nothing else.

bayes_opt is re-implemented from its documented defaults (bayesian-optimization 1.x, the library the original system
used), not imported: GaussianProcessRegressor(kernel=Matern(nu=2.5), alpha=1e-6, normalize_y=True,
n_restarts_optimizer=5); upper confidence bound mean + kappa*std with kappa = 2.576; the probe first, then 4 random
points (maximize(init_points=4)); the acquisition maximised over 10 000 random points, then L-BFGS-B from 10 random
starts (acq_max(n_warmup=10000, n_iter=10)), keeping the better.
"""
import json
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def read():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def ask(x):
    sys.stdout.write(json.dumps({"x": [float(v) for v in np.clip(x, 0.0, 1.0)]}) + "\n")
    sys.stdout.flush()
    return float(read()["y"])


def run_random(d, rng, probe):
    if probe is not None:
        ask(np.asarray(probe))
    while True:
        ask(rng.uniform(0, 1, d))


def run_bayes_opt(d, rng, probe):
    from scipy.optimize import minimize
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import Matern

    xs, ys = [], []

    def observe(x):
        ys.append(ask(x))
        xs.append(np.asarray(x, dtype=float))

    if probe is not None:
        observe(np.asarray(probe))
    for _ in range(4):
        observe(rng.uniform(0, 1, d))
    gp = GaussianProcessRegressor(kernel=Matern(nu=2.5), alpha=1e-6, normalize_y=True, n_restarts_optimizer=5,
                                  random_state=np.random.RandomState(int(rng.integers(2**31))))
    kappa = 2.576
    while True:
        gp.fit(np.array(xs), np.array(ys))

        def ucb(x):
            mean, std = gp.predict(np.atleast_2d(x), return_std=True)
            return mean + kappa * std

        tries = rng.uniform(0, 1, (10_000, d))
        values = ucb(tries)
        best_x, best_v = tries[values.argmax()], values.max()
        for start in rng.uniform(0, 1, (10, d)):
            res = minimize(lambda x: -ucb(x)[0], start, bounds=[(0, 1)] * d, method="L-BFGS-B")
            if res.success and -res.fun >= best_v:
                best_x, best_v = res.x, -res.fun
        observe(np.clip(best_x, 0, 1))


def run_cmaes(d, rng, probe, seed):
    from cmaes import CMA

    if probe is not None:
        ask(np.asarray(probe))
    # Optuna's CmaEsSampler defaults on a unit box: the mean at the centre, sigma0 = range / 6.
    opt = CMA(mean=np.full(d, 0.5), sigma=1.0 / 6.0, bounds=np.array([[0.0, 1.0]] * d), seed=seed)
    while True:
        solutions = []
        for _ in range(opt.population_size):
            x = opt.ask()
            solutions.append((x, -ask(x)))  # cmaes minimises
        opt.tell(solutions)


def run_tpe(d, rng, probe, seed):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    dists = {f"x{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(d)}
    if probe is not None:
        study.enqueue_trial({f"x{i}": float(v) for i, v in enumerate(probe)})
    while True:
        trial = study.ask(dists)
        x = np.array([trial.params[f"x{i}"] for i in range(d)])
        study.tell(trial, ask(x))


def main():
    method, d, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(seed)
    probe = read().get("probe")
    if method == "random":
        run_random(d, rng, probe)
    elif method == "bayes_opt":
        run_bayes_opt(d, rng, probe)
    elif method == "cmaes":
        run_cmaes(d, rng, probe, seed)
    elif method == "tpe":
        run_tpe(d, rng, probe, seed)
    else:
        sys.exit(f"unknown method {method}")


if __name__ == "__main__":
    main()
