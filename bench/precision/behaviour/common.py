"""Shared helpers of the behaviour checks run by bench/precision/fix-check.ts.

A behaviour script imports the package under test from PYTHONPATH (the original or the fixed copy of
the repository; AGL_BEHAVIOUR_SRC names the same folder), runs a list of named cases, and writes one JSON
record per case with `run_cases`. fix-check.ts runs it three times (original twice, fixed copy once) and
compares the records: a case is "same" only when its result is identical bit for bit.

Each case runs after `seed_all(0)`, single-threaded, so that its result depends only on the code.
"""
import argparse
import hashlib
import json
import math
import random
import sys
import traceback

import numpy as np
import torch

# Tensors up to this many elements are written out in full (so that a difference can be measured);
# larger ones only by digest.
MAX_VALUES = 50_000


def seed_all(seed=0):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _float(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def describe(value):
    """A JSON-able, exact description of a result: tensors by shape, dtype, requires_grad, digest, values."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu().contiguous()
        arr = t.numpy() if t.dtype != torch.bfloat16 else t.float().numpy()
        out = {
            "tensor": True,
            "shape": list(t.shape),
            "dtype": str(t.dtype),
            "requires_grad": bool(value.requires_grad),
            "sha256": hashlib.sha256(arr.tobytes()).hexdigest(),
        }
        if t.numel() <= MAX_VALUES:
            out["values"] = [_float(v) for v in arr.reshape(-1).tolist()] if arr.dtype.kind in "fc" else arr.reshape(-1).tolist()
        return out
    if isinstance(value, np.ndarray):
        return describe(torch.from_numpy(np.ascontiguousarray(value)))
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (np.floating, np.integer)):
        return describe(value.item())
    if isinstance(value, dict):
        return {str(k): describe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    return {"repr": repr(value)}


def error_text(exc):
    """The exception's type and first line (no addresses, no paths: the two copies live in different folders)."""
    first = str(exc).strip().split("\n")[0]
    return f"{type(exc).__name__}: {first}"


def run_cases(cases, argv=None):
    """Run `cases` (a list of (name, zero-argument callable)) and write {"cases": {name: record}} to --out."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default=None, help="comma-separated case names (for debugging)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    only = set(args.only.split(",")) if args.only else None
    records = {}
    for name, fn in cases:
        if only is not None and name not in only:
            continue
        seed_all(0)
        try:
            records[name] = {"status": "ok", "value": describe(fn())}
        except Exception as exc:  # a case that raises is a result too
            records[name] = {"status": "error", "error": error_text(exc)}
            print(f"[{name}] {error_text(exc)}", file=sys.stderr)
            traceback.print_exc(limit=3, file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"cases": records}, f)
    bad = sum(1 for r in records.values() if r["status"] != "ok")
    print(f"{len(records)} cases, {bad} raised", file=sys.stderr)


def run_unittests(module_names, extra_path=None):
    """Run unittest modules; one case per test id, its value the outcome ('passed', 'skipped', or the error)."""
    import unittest

    if extra_path:
        sys.path.insert(0, extra_path)
    cases = []
    loader = unittest.TestLoader()
    for mod in module_names:
        suite = loader.loadTestsFromName(mod)
        for test in _flatten(suite):
            cases.append((f"test:{test.id()}", _runner(test)))
    return cases


def _flatten(suite):
    import unittest

    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def _runner(test):
    import unittest

    def run():
        result = unittest.TestResult()
        test.run(result)
        if result.errors or result.failures:
            tb = (result.errors + result.failures)[0][1].strip().split("\n")[-1]
            raise AssertionError(f"test failed: {tb}")
        if result.skipped:
            return "skipped"
        return "passed"

    return run
