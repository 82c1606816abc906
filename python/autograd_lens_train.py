#!/usr/bin/env python3
"""Train an Autograd Lens MLP with PyTorch: the `torch` training engine.

The extension and `autograd-lens train --engine torch` run this file; you can also run it yourself,
for example on a GPU server, with the same spec file:

    python3 autograd_lens_train.py spec.json [--out MODEL_DIR] [--device auto|cpu|cuda|mps] [--threads N]

`spec.json` holds the training spec (data file, inputs, outputs, derivative columns, settings), the
same fields as `spec` in a model folder's autograd-lens.json; `autograd-lens train ... --save-script
DIR` writes one beside copies of this file and autograd_lens_mlp.py. A relative data path is taken
relative to the spec file. The result is a model folder (model.json + weights.bin in the TensorFlow.js
layers format, and autograd-lens.json) that the editor's "Analyse a Saved Model…" and `autograd-lens
analyze` open like one trained by the TensorFlow.js engine.

What it does is what the TensorFlow.js engine (src/core/model/train.ts) does, step for step:
- the same seeded streams (Mulberry32, seeds 3s+1 / 3s+2 / 3s+3) for the validation split, the
  initial weights and the batch order, so the same seed gives the same split, initial weights and
  batches in both engines;
- the same normalization (minmax to [-1, 1], standard, none; outputs known only through derivatives
  scaled by their RMS gradient), computed from the training rows;
- the same loss in normalized units: value MSE over outputs with values + gradWeight x derivative MSE
  over the sampled (output, input) pairs; the input derivatives by reverse mode with
  create_graph=True (PyTorch's double backward is exact for every activation here);
- Adam (beta 0.9/0.999, epsilon 1e-7 as tfjs), cosine decay of the learning rate to 1 % over the
  epochs, mini-batches, validation loss, early stopping with the best weights restored, divergence
  stops the run with an error.

With --protocol (used by the engine) it prints one JSON object per line on stdout (progress, done,
error) and stops at the next batch when a line `cancel` arrives on stdin (or stdin closes); nothing
is written then. Without it, progress goes to stderr and Ctrl-C cancels the same way.
"""
import argparse
import csv
import datetime
import hashlib
import json
import math
import os
import shutil
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

try:
    import torch
    import numpy as np
except ImportError as _missing:  # say what to install, in the engine's protocol when it runs us
    _what = "torch" if "torch" in str(_missing) else "numpy"
    _msg = (f"PyTorch training needs {_what} in {sys.executable} ({_missing}); install it there "
            f"(e.g. {sys.executable} -m pip install {_what}) or choose another interpreter")
    if "--protocol" in sys.argv:
        print(json.dumps({"type": "unavailable", "message": _msg}), flush=True)
        sys.exit(3)
    sys.exit(f"error: {_msg}")

from autograd_lens_mlp import ACTIVATIONS, AutogradLensMLP  # noqa: E402

MODEL_FORMAT = "autograd-lens-mlp"
MODEL_FORMAT_VERSION = 1
METADATA_FILE = "autograd-lens.json"
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.bin"
LR_FLOOR = 0.01
DEFAULT_INIT = "fan-in"  # train.ts DEFAULT_INIT
SIREN_OMEGA0 = 30
ADAM_EPSILON = 1e-7  # tfjs's Adam uses the backend epsilon, 1e-7 for float32
KERAS_ACTIVATION = {"tanh": "tanh", "softplus": "softplus", "silu": "swish", "relu": "relu", "sin": "linear"}
SIN_LAYER_CLASS = "AutogradLensSin"
NORMALIZATIONS = ("minmax", "standard", "none")
INIT_SCHEMES = ("glorot", "fan-in", "siren")
FIT_TARGETS = ("values", "derivatives", "both")
M32 = 0xFFFFFFFF


class SpecError(Exception):
    """The spec cannot be run (a wrong value, a missing field)."""


class DataError(Exception):
    """The data file cannot be used."""


# --- the seeded generator (src/core/model/prng.ts, Mulberry32), bit for bit --------------------------

def _imul(a, b):
    return (a * b) & M32


class Prng:
    def __init__(self, seed):
        if not math.isfinite(seed):
            raise SpecError(f"seed must be a finite number, got {seed}")
        self.state = (int(seed) ^ 0x9E3779B9) & M32
        for _ in range(4):
            self.next_uint32()

    def next_uint32(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + _imul(t ^ (t >> 7), t | 61)) & M32)) & M32
        return (t ^ (t >> 14)) & M32

    def next(self):
        return self.next_uint32() / 4294967296.0

    def int(self, n):
        return math.floor(self.next() * n)

    def uint32_block(self, count):
        """The next `count` outputs of next_uint32, computed at once with NumPy (the generator's state
        only advances by a constant, so the k-th output is a function of the state and k)."""
        k = np.arange(1, count + 1, dtype=np.uint64)
        t = (np.uint64(self.state) + k * np.uint64(0x6D2B79F5)) & np.uint64(M32)
        self.state = (self.state + count * 0x6D2B79F5) & M32
        m = np.uint64(M32)
        t = ((t ^ (t >> np.uint64(15))) * (t | np.uint64(1))) & m
        t = (t ^ ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & m)) & m)) & m
        return (t ^ (t >> np.uint64(14))) & m

    def permutation(self, n):
        """0..n-1 in random order: prng.ts's Fisher-Yates shuffle, the same draws in the same order."""
        p = list(range(n))
        if n < 2:
            return p
        u = self.uint32_block(n - 1).astype(np.float64) / 4294967296.0
        js = np.floor(u * np.arange(n, 1, -1, dtype=np.float64)).astype(np.int64).tolist()
        for i, j in zip(range(n - 1, 0, -1), js):
            p[i], p[j] = p[j], p[i]
        return p


def js_round(x):
    """JavaScript's Math.round (halves go up)."""
    return math.floor(x + 0.5)


def js_number(x):
    """A number as JavaScript prints it in the engine's messages (NaN, Infinity)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


def scheduled_learning_rate(lr, e, epochs):
    """train.ts scheduledLearningRate: cosine decay from lr to LR_FLOOR * lr over the epochs."""
    t = 0 if epochs <= 1 else e / (epochs - 1)
    return lr * (LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + math.cos(math.pi * t)))


# --- normalization (src/core/model/normalization.ts) ------------------------------------------------

def _seq_sum(v):
    """Left-to-right float64 sum, as the JavaScript loop adds (NumPy's sum is pairwise)."""
    return float(np.cumsum(v)[-1]) if len(v) else 0.0


def column_scaling(kind, v):
    if kind == "none" or len(v) == 0:
        return 0.0, 1.0
    if kind == "minmax":
        lo, hi = float(np.min(v)), float(np.max(v))
        half = (hi - lo) / 2
        return lo + half, (half if half > 0 else 1.0)
    mean = _seq_sum(v) / len(v)
    sd = math.sqrt(_seq_sum((v - mean) ** 2) / len(v))
    return mean, (sd if sd > 0 else 1.0)


def compute_normalization(kind, x, y, dy, rows):
    inputs = {"offset": [], "scale": []}
    for col in x:
        o, s = column_scaling(kind, col[rows])
        inputs["offset"].append(o)
        inputs["scale"].append(s)
    outputs = {"offset": [], "scale": []}
    source = []
    for k, values in enumerate(y):
        if kind == "none":
            o, s, src = 0.0, 1.0, "none"
        elif values is not None:
            o, s = column_scaling(kind, values[rows])
            src = "values"
        else:
            total, anything = 0.0, False
            for i in range(len(x)):
                d = dy[k][i]
                if d is None:
                    continue
                v = d[rows]
                if len(v) == 0:
                    continue
                total += _seq_sum((v * inputs["scale"][i]) ** 2) / len(v)
                anything = True
            s = math.sqrt(total)
            o, s, src = 0.0, (s if anything and s > 0 and math.isfinite(s) else 1.0), "derivatives"
        outputs["offset"].append(o)
        outputs["scale"].append(s)
        source.append(src)
    return {"kind": kind, "range": [-1, 1] if kind == "minmax" else None, "inputs": inputs, "outputs": outputs, "outputScaleSource": source}


# --- initial weights (train.ts initWeights) ---------------------------------------------------------

def init_weights(sizes, prng, scheme, activation):
    layers = []
    for l in range(len(sizes) - 1):
        n_in, n_out = sizes[l], sizes[l + 1]
        siren = scheme == "siren" and activation == "sin"
        if scheme == "glorot":
            lim = math.sqrt(6 / (n_in + n_out))
        elif siren:
            lim = SIREN_OMEGA0 / n_in if l == 0 else math.sqrt(6 / n_in)
        else:
            lim = 1 / math.sqrt(n_in)
        # (2 * next() - 1) * lim per weight, in the generator's order, as float64 then rounded to float32
        w = ((2 * (prng.uint32_block(n_in * n_out).astype(np.float64) / 4294967296.0) - 1) * lim).astype(np.float32)
        b = np.zeros(n_out, dtype=np.float32)
        if scheme != "glorot":
            b = ((2 * (prng.uint32_block(n_out).astype(np.float64) / 4294967296.0) - 1) / math.sqrt(n_in)).astype(np.float32)
        layers.append((w.reshape(n_in, n_out), b))
    return layers


# --- the spec ---------------------------------------------------------------------------------------

def check_spec(spec):
    def need(name):
        if name not in spec:
            raise SpecError(f"the spec has no '{name}'")
        return spec[name]

    for name in ("data", "inputs", "outputs", "normalize", "hidden", "activation", "epochs", "batchSize", "learningRate", "gradWeight", "validationSplit", "patience", "seed"):
        need(name)

    def whole(v, name, least):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or int(v) != v or v < least:
            raise SpecError(f"{name} must be an integer >= {least}, got {v!r}")

    if not isinstance(spec["inputs"], list) or not spec["inputs"]:
        raise SpecError("at least one input is needed")
    if not isinstance(spec["outputs"], list) or not spec["outputs"]:
        raise SpecError("at least one output is needed")
    if not isinstance(spec["hidden"], list) or not spec["hidden"]:
        raise SpecError("hidden must be a list of layer sizes")
    for l, h in enumerate(spec["hidden"]):
        whole(h, f"hidden[{l}]", 1)
    if spec["activation"] not in ACTIVATIONS:
        raise SpecError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {spec['activation']!r}")
    if spec["normalize"] not in NORMALIZATIONS:
        raise SpecError(f"normalize must be minmax, standard or none; got {spec['normalize']!r}")
    if spec.get("init", DEFAULT_INIT) not in INIT_SCHEMES:
        raise SpecError(f"init must be glorot, fan-in or siren; got {spec.get('init')!r}")
    if spec.get("fit", "both") not in FIT_TARGETS:
        raise SpecError(f"fit must be values, derivatives or both; got {spec.get('fit')!r}")
    whole(spec["epochs"], "epochs", 1)
    whole(spec["batchSize"], "batchSize", 1)
    whole(spec["patience"], "patience", 0)
    lr = spec["learningRate"]
    if not isinstance(lr, (int, float)) or not (lr > 0) or not math.isfinite(lr):
        raise SpecError(f"learningRate must be a positive number, got {lr!r}")
    gw = spec["gradWeight"]
    if not isinstance(gw, (int, float)) or not (gw >= 0) or not math.isfinite(gw):
        raise SpecError(f"gradWeight must be >= 0, got {gw!r}")
    vs = spec["validationSplit"]
    if not isinstance(vs, (int, float)) or not (0 <= vs < 1):
        raise SpecError(f"validationSplit must be in [0, 1), got {vs!r}")
    if not isinstance(spec["seed"], (int, float)) or not math.isfinite(spec["seed"]):
        raise SpecError(f"seed must be a number, got {spec['seed']!r}")
    for g in spec.get("grads", []):
        if g.get("output") not in spec["outputs"] or g.get("input") not in spec["inputs"]:
            raise SpecError(f"derivative column {g.get('output')}:{g.get('input')}={g.get('column')}: unknown output or input")


# --- data -------------------------------------------------------------------------------------------

def read_csv_columns(path, wanted, optional):
    """Columns of a CSV/TSV file with a header row, as float64 arrays (optional ones may be absent)."""
    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8-sig")
    if ext in (".tsv", ".tab"):
        delim = "\t"
    elif ext == ".csv":
        delim = ","
    else:
        first = text.split("\n", 1)[0]
        delim = max([",", "\t", ";", "|"], key=first.count)
    reader = csv.reader(text.splitlines(), delimiter=delim)
    header = None
    rows = []
    line_of = []
    for line_no, row in enumerate(reader, start=1):
        if not row or all(not c.strip() for c in row):
            continue
        if header is None:
            header = [c.strip() for c in row]
            continue
        rows.append(row)
        line_of.append(line_no)
    if header is None:
        raise DataError(f"{path}: the file is empty: a header row with column names is required")
    for c in wanted:
        if c not in header:
            raise DataError(f"{path}: missing column '{c}'; the file has: {', '.join(header)}")
    out = {}
    for c in list(wanted) + [c for c in optional if c in header and c not in wanted]:
        j = header.index(c)
        col = np.empty(len(rows), dtype=np.float64)
        for r, row in enumerate(rows):
            if j >= len(row):
                raise DataError(f"{path}: row {line_of[r]} has {len(row)} cells, the header has {len(header)}")
            try:
                v = float(row[j])
            except ValueError:
                raise DataError(f"{path}: row {line_of[r]}, column '{c}': '{row[j]}' is not a number") from None
            if not math.isfinite(v):
                raise DataError(f"{path}: row {line_of[r]}, column '{c}': {row[j]} is not a finite number")
            col[r] = v
        out[c] = col
    return out, hashlib.sha256(raw).hexdigest(), len(rows)


def data_from_csv(spec, data_path):
    """TrainData (x, y, dy in raw units) as runTrain (src/core/pipeline/run.ts) builds it from the CSV."""
    grads = spec.get("grads", [])
    cols, sha, rows = read_csv_columns(data_path, list(spec["inputs"]) + [g["column"] for g in grads], spec["outputs"])
    fit = spec.get("fit", "both")
    for o in spec["outputs"]:
        if o not in cols and not any(g["output"] == o for g in grads):
            raise DataError(f"{data_path}: output '{o}' has no value column '{o}' and no derivative columns")
        if fit == "values" and o not in cols:
            raise DataError(f"{data_path}: --fit values: output '{o}' has no value column '{o}'")
    use_values, use_grads = fit != "derivatives", fit != "values"
    x = [cols[i] for i in spec["inputs"]]
    y = [cols.get(o) if use_values else None for o in spec["outputs"]]
    dy = []
    for o in spec["outputs"]:
        row = []
        for i in spec["inputs"]:
            g = next((g for g in grads if g["output"] == o and g["input"] == i), None) if use_grads else None
            row.append(cols[g["column"]] if g else None)
        dy.append(row)
    return {"x": x, "y": y, "dy": dy}, {"sha256": sha, "rows": rows, "all_inputs": x}


def data_from_bin(folder):
    """TrainData the engine prepared: columns.json names float64 little-endian files in `folder`."""
    with open(os.path.join(folder, "columns.json"), encoding="utf-8") as fh:
        desc = json.load(fh)
    n = desc["n"]

    def col(name):
        if name is None:
            return None
        a = np.fromfile(os.path.join(folder, name), dtype="<f8")
        if a.size != n:
            raise DataError(f"{name}: {a.size} values, expected {n}")
        return a

    return {"x": [col(f) for f in desc["x"]], "y": [col(f) for f in desc["y"]], "dy": [[col(f) for f in row] for row in desc["dy"]]}


def check_data(data, inputs, outputs):
    d, m = len(inputs), len(outputs)
    if len(data["x"]) != d:
        raise SpecError(f"expected {d} input columns, got {len(data['x'])}")
    n = len(data["x"][0])
    if n == 0:
        raise SpecError("the training data has no rows")
    for k in range(m):
        if data["y"][k] is None and all(v is None for v in data["dy"][k]):
            raise SpecError(f"output '{outputs[k]}' has neither values nor derivative samples")
    for c in data["x"] + [v for v in data["y"] if v is not None] + [v for row in data["dy"] for v in row if v is not None]:
        if len(c) != n:
            raise SpecError(f"a column has {len(c)} values, the inputs have {n}")
        if not np.all(np.isfinite(c)):
            raise SpecError("a column holds a value that is not a finite number")
    return n


# --- training ---------------------------------------------------------------------------------------

def pick_device(name):
    if name in (None, "auto"):
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(name)




def train(spec, data, device, cancel=None, on_progress=None):
    """trainMlp (src/core/model/train.ts) in PyTorch. Returns (model, status, history, info)."""
    inputs, outputs = list(spec["inputs"]), list(spec["outputs"])
    n = check_data(data, inputs, outputs)
    d, m = len(inputs), len(outputs)
    seed = int(math.trunc(spec["seed"]))
    split_rng, init_rng, shuffle_rng = Prng(seed * 3 + 1), Prng(seed * 3 + 2), Prng(seed * 3 + 3)

    n_val = js_round(n * spec["validationSplit"]) if spec["validationSplit"] > 0 else 0
    if n_val >= n:
        n_val = n - 1
    if n_val > 0:
        order = split_rng.permutation(n)
        val_rows = np.array(sorted(order[:n_val]), dtype=np.int64)
        train_rows = np.array(sorted(order[n_val:]), dtype=np.int64)
    else:  # what the split gives without validation rows: every row, in order
        val_rows, train_rows = np.zeros(0, dtype=np.int64), np.arange(n, dtype=np.int64)
    n_train = len(train_rows)

    norm = compute_normalization(spec["normalize"], data["x"], data["y"], data["dy"], train_rows)
    value_idx = [k for k in range(m) if data["y"][k] is not None]
    pairs = [(k, i) for k in range(m) for i in range(d) if data["dy"][k][i] is not None]
    has_values = len(value_idx) > 0
    has_grads = len(pairs) > 0 and spec["gradWeight"] > 0
    if spec["gradWeight"] == 0:
        only = [outputs[k] for k in range(m) if data["y"][k] is None]
        if only:
            raise SpecError(f"gradWeight is 0, but {', '.join(repr(o) for o in only)} only has derivative samples, so nothing would train it; use a gradWeight > 0")
    value_weight, grad_weight = 1.0, float(spec["gradWeight"])
    grad_outputs = sorted({k for k, _ in pairs})  # outputs whose input gradient the loss needs

    sizes = [d, *spec["hidden"], m]
    init = init_weights(sizes, init_rng, spec.get("init") or DEFAULT_INIT, spec["activation"])
    model = AutogradLensMLP(inputs, outputs, spec["hidden"], spec["activation"], norm)
    model.set_dense_weights([(torch.from_numpy(w), torch.from_numpy(b)) for w, b in init])
    net = model.net.to(device)

    sx = norm["inputs"]["scale"]
    ox = norm["inputs"]["offset"]
    sy = norm["outputs"]["scale"]
    oy = norm["outputs"]["offset"]

    def make_split(rows):
        r = len(rows)
        X = np.empty((r, d), dtype=np.float32)
        for i in range(d):
            X[:, i] = (data["x"][i][rows] - ox[i]) / sx[i]
        Y = None
        if has_values:
            Y = np.zeros((r, m), dtype=np.float32)
            for k in value_idx:
                Y[:, k] = (data["y"][k][rows] - oy[k]) / sy[k]
        G = None
        if has_grads:
            G = np.zeros((r, len(grad_outputs), d), dtype=np.float32)  # [rows, outputs with samples, inputs]
            for k, i in pairs:
                G[:, grad_outputs.index(k), i] = data["dy"][k][i][rows] * (sx[i] / sy[k])
        t = lambda a: None if a is None else torch.from_numpy(a).to(device)  # noqa: E731
        return t(X), t(Y), t(G)

    Xt, Yt, Gt = make_split(train_rows)
    val = make_split(val_rows) if n_val > 0 else None
    value_mask = None
    value_scale = m / max(1, len(value_idx))
    if has_values and len(value_idx) < m:
        value_mask = torch.zeros(1, m, device=device)
        value_mask[0, value_idx] = 1
    grad_mask = None
    grad_scale = (len(grad_outputs) * d) / max(1, len(pairs))
    if has_grads and len(pairs) < len(grad_outputs) * d:
        grad_mask = torch.zeros(1, len(grad_outputs), d, device=device)
        for k, i in pairs:
            grad_mask[0, grad_outputs.index(k), i] = 1

    def loss_parts(xb, yb, gb, train_graph):
        """(total, value loss or None, derivative loss or None) on one batch, normalized units."""
        gl = None
        if gb is not None:
            xb = xb.detach().requires_grad_(True)
            out = net(xb)
            cols = []
            for k in grad_outputs:
                (g,) = torch.autograd.grad(out[:, k].sum(), xb, create_graph=train_graph, retain_graph=True)
                cols.append(g)
            J = torch.stack(cols, dim=1)  # [B, outputs with samples, d]
            sq = (J - gb) ** 2
            gl = torch.mean(sq * grad_mask) * grad_scale if grad_mask is not None else torch.mean(sq)
        else:
            out = net(xb)
        vl = None
        if yb is not None:
            sq = (out - yb) ** 2
            vl = torch.mean(sq * value_mask) * value_scale if value_mask is not None else torch.mean(sq)
        if vl is not None and gl is not None:
            total = (vl if value_weight == 1 else vl * value_weight) + (gl if grad_weight == 1 else gl * grad_weight)
        elif vl is not None:
            total = vl if value_weight == 1 else vl * value_weight
        else:
            total = gl if grad_weight == 1 else gl * grad_weight
        return total, vl, gl

    opt = torch.optim.Adam(net.parameters(), lr=spec["learningRate"], betas=(0.9, 0.999), eps=ADAM_EPSILON)
    history = []
    monitor_val = val is not None
    best, best_epoch, best_state, since_best = math.inf, None, None, 0
    status = "completed"
    t0 = time.time()
    batch = min(int(spec["batchSize"]), n_train)
    epochs = int(spec["epochs"])
    zero = torch.zeros((), device=device)
    is_cancelled = cancel.is_set if cancel is not None else (lambda: False)

    for epoch in range(epochs):
        if is_cancelled():
            status = "cancelled"
            break
        lr = scheduled_learning_rate(spec["learningRate"], epoch, epochs)
        for group in opt.param_groups:
            group["lr"] = lr
        perm = torch.tensor(shuffle_rng.permutation(n_train), dtype=torch.int64, device=device)
        acc = torch.zeros(3, device=device)
        batches = 0
        stopped = False
        for start in range(0, n_train, batch):
            if is_cancelled():
                stopped = True
                break
            idx = perm if batch == n_train else perm[start:start + batch]
            total, vl, gl = loss_parts(Xt[idx], None if Yt is None else Yt[idx], None if Gt is None else Gt[idx], True)
            opt.zero_grad(set_to_none=True)
            total.backward()
            opt.step()
            acc += torch.stack([total.detach(), zero if vl is None else vl.detach(), zero if gl is None else gl.detach()])
            batches += 1
        if stopped:
            status = "cancelled"
            break
        if val is not None:
            with torch.enable_grad():
                val_loss = float(loss_parts(val[0], val[1], val[2], False)[0].detach())
        else:
            val_loss = math.nan
        loss, v_loss, g_loss = (acc / batches).tolist()
        if not math.isfinite(loss):
            raise RuntimeError(f"training diverged: the loss is {js_number(loss)} in epoch {epoch + 1}; lower the learning rate (now {js_number(spec['learningRate'])}) or check the data scale")
        p = {
            "epoch": epoch + 1,
            "epochs": epochs,
            "loss": loss,
            "valueLoss": v_loss if has_values else None,
            "gradLoss": g_loss if has_grads else None,
            "valLoss": val_loss if val is not None else None,
            "learningRate": lr,
            "elapsedMs": int((time.time() - t0) * 1000),
        }
        history.append(p)
        if on_progress:
            on_progress(p)
        monitored = val_loss if monitor_val else loss
        if spec["patience"] > 0:
            if monitored < best:
                best, best_epoch, since_best = monitored, epoch + 1, 0
                best_state = [t.detach().clone() for t in net.parameters()]
            else:
                since_best += 1
                if since_best >= spec["patience"]:
                    status = "stopped-early"
                    break
    kept = None
    if best_state is not None and best_epoch is not None and best_epoch != len(history):
        with torch.no_grad():
            for t, b in zip(net.parameters(), best_state):
                t.copy_(b)
        kept = best_epoch
    model.net = net.cpu()
    info = {
        "settings": {
            "normalize": spec["normalize"],
            "hidden": list(spec["hidden"]),
            "activation": spec["activation"],
            "epochs": epochs,
            "batchSize": spec["batchSize"],
            "learningRate": spec["learningRate"],
            "schedule": f"cosine decay to {LR_FLOOR} x learningRate over the epochs",
            "valueWeight": 1,
            "gradWeight": spec["gradWeight"],
            "validationSplit": spec["validationSplit"],
            "patience": spec["patience"],
            "seed": spec["seed"],
        },
        "status": status,
        "epochsRun": len(history),
        "bestEpoch": kept,
        "backend": f"torch {torch.__version__} ({device.type})",
        "trainRows": n_train,
        "validationRows": n_val,
        "last": history[-1] if history else None,
    }
    return model, status, history, info, norm


# --- the model folder (TensorFlow.js layers format + autograd-lens.json) -------------------------------

def layers_model_json(model):
    """model.json as src/core/model/serialize.ts writes it (what tf.loadLayersModel reads)."""
    act = model.activation
    layers = []
    dense = model.dense()
    specs = []
    for l, lin in enumerate(dense):
        last = l == len(dense) - 1
        cfg = {
            "units": lin.out_features,
            "activation": "linear" if last else KERAS_ACTIVATION[act],
            "use_bias": True,
            "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
            "name": f"dense_{l + 1}",
            "trainable": True,
        }
        if l == 0:
            cfg["batch_input_shape"] = [None, lin.in_features]
            cfg["dtype"] = "float32"
        layers.append({"class_name": "Dense", "config": cfg})
        if not last and act == "sin":
            layers.append({"class_name": SIN_LAYER_CLASS, "config": {"name": f"sin_{l + 1}", "trainable": True}})
        specs.append({"name": f"dense_{l + 1}/kernel", "shape": [lin.in_features, lin.out_features], "dtype": "float32"})
        specs.append({"name": f"dense_{l + 1}/bias", "shape": [lin.out_features], "dtype": "float32"})
    return {
        "modelTopology": {
            "class_name": "Sequential",
            "config": {"name": "sequential_1", "layers": layers},
            "keras_version": "tfjs-layers 4.22.0",
            "backend": "tensor_flow.js",
        },
        "format": "layers-model",
        "generatedBy": f"Autograd Lens PyTorch engine (torch {torch.__version__})",
        "convertedBy": None,
        "weightsManifest": [{"paths": [f"./{WEIGHTS_FILE}"], "weights": specs}],
    }


def weights_bytes(model):
    parts = []
    for kernel, bias in model.dense_weights():
        parts.append(kernel.numpy().astype("<f4").tobytes())
        parts.append(bias.numpy().astype("<f4").tobytes())
    return b"".join(parts)


def metadata_json(model, normalization, training, extra):
    """autograd-lens.json: the caller's keys plus the engine's (which win, as in mlp.ts metadataJson)."""
    return {
        **extra,
        "format": MODEL_FORMAT,
        "formatVersion": MODEL_FORMAT_VERSION,
        "inputs": model.inputs,
        "outputs": model.outputs,
        "activation": model.activation,
        "hidden": model.hidden,
        "normalization": normalization,
        "network": {"file": MODEL_FILE, "units": "normalized", "note": "raw = normalized * scale + offset per column; see normalization"},
        "training": training,
    }


OWN_FILES = {MODEL_FILE, WEIGHTS_FILE, METADATA_FILE}


def write_folder_atomically(target, files):
    """mlp.ts writeFolderAtomically: a temp folder beside the target, renamed into place; other files
    of an existing model folder are carried over; a non-empty folder that is no model folder is refused."""
    target = os.path.abspath(target)
    parent, base = os.path.dirname(target), os.path.basename(target)
    os.makedirs(parent, exist_ok=True)
    existing = None
    if os.path.exists(target):
        if not os.path.isdir(target):
            raise RuntimeError(f"cannot save the model to '{target}': it exists and is not a folder")
        existing = os.listdir(target)
        if existing and METADATA_FILE not in existing:
            raise RuntimeError(f"refusing to save the model into '{target}': the folder is not empty and holds no {METADATA_FILE}, so it is not a model folder this tool wrote")
    tag = f"{os.getpid()}-{int(time.time() * 1000):x}"
    tmp = os.path.join(parent, f".{base}.tmp-{tag}")
    os.mkdir(tmp)
    try:
        for name, data in files:
            with open(os.path.join(tmp, name), "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for name in existing or []:
            if name in OWN_FILES:
                continue
            src = os.path.join(target, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy2)(src, os.path.join(tmp, name))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if existing is not None:
        old = os.path.join(parent, f".{base}.old-{tag}")
        os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(old, target)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, target)


def save_model_folder(model, normalization, training, out_dir, extra):
    meta = metadata_json(model, normalization, training, extra)
    write_folder_atomically(out_dir, [
        (MODEL_FILE, json.dumps(layers_model_json(model)).encode("utf-8")),
        (WEIGHTS_FILE, weights_bytes(model)),
        (METADATA_FILE, (json.dumps(meta, indent=2) + "\n").encode("utf-8")),
    ])


# --- command line -----------------------------------------------------------------------------------

def default_out_dir(data_path):
    """defaults.ts defaultOutDir: <data folder>/models/<data file stem>."""
    stem = os.path.splitext(os.path.basename(data_path))[0]
    return os.path.join(os.path.dirname(data_path), "models", stem)


def column_stats(cols, names):
    ranges = {n: [float(np.min(c)), float(np.max(c))] for n, c in zip(names, cols)}
    means = {n: _seq_sum(c) / len(c) for n, c in zip(names, cols)}
    return ranges, means


def main(argv=None):
    ap = argparse.ArgumentParser(description="Train an Autograd Lens MLP with PyTorch (the torch engine).")
    ap.add_argument("spec", help="the training spec (JSON)")
    ap.add_argument("--out", help="model folder to write (default: the spec's outDir, else <data folder>/models/<data stem>)")
    ap.add_argument("--device", default="auto", help="auto (CUDA, else MPS, else CPU), cpu, cuda, cuda:1, mps")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads for PyTorch (default: PyTorch's choice)")
    ap.add_argument("--data-bin", help=argparse.SUPPRESS)  # the engine: columns already read, as float64 files
    ap.add_argument("--protocol", action="store_true", help=argparse.SUPPRESS)  # the engine: JSON lines
    args = ap.parse_args(argv)

    out_stream = sys.stdout
    def emit(obj):
        out_stream.write(json.dumps(obj) + "\n")
        out_stream.flush()

    cancel = threading.Event()
    if args.protocol:
        def watch_stdin():
            for line in sys.stdin:
                if line.strip() == "cancel":
                    break
            cancel.set()  # a cancel line, or the engine went away
        threading.Thread(target=watch_stdin, daemon=True).start()

    try:
        spec_path = os.path.abspath(args.spec)
        try:
            with open(spec_path, encoding="utf-8") as fh:
                spec = json.load(fh)
        except (OSError, json.JSONDecodeError) as err:
            raise SpecError(f"cannot read the spec {args.spec}: {err}") from None
        if not isinstance(spec, dict):
            raise SpecError(f"{args.spec}: the spec must be a JSON object")
        check_spec(spec)
        if args.threads > 0:
            torch.set_num_threads(args.threads)
        device = pick_device(args.device)
        if args.protocol:
            emit({"type": "ready", "torch": torch.__version__, "device": device.type, "executable": sys.executable})
        data_path = spec["data"] if os.path.isabs(spec["data"]) else os.path.join(os.path.dirname(spec_path), spec["data"])
        if args.data_bin:
            data, source = data_from_bin(args.data_bin), None
        else:
            data, source = data_from_csv(spec, data_path)
        out_dir = args.out or (spec.get("outDir") and os.path.join(os.path.dirname(spec_path), spec["outDir"])) or default_out_dir(data_path)

        def progress(p):
            if args.protocol:
                emit({"type": "progress", "progress": p})
            elif p["epoch"] == 1 or p["epoch"] == p["epochs"] or p["epoch"] % max(1, p["epochs"] // 20) == 0:
                parts = [f"epoch {p['epoch']}/{p['epochs']}", f"loss {p['loss']:.4g}"]
                if p["valLoss"] is not None:
                    parts.append(f"val {p['valLoss']:.4g}")
                print("  ".join(parts), file=sys.stderr, flush=True)

        c0, w0 = time.process_time(), time.perf_counter()
        try:
            model, status, history, info, norm = train(spec, data, device, cancel, progress)
        except KeyboardInterrupt:
            model, status, history, info, norm = None, "cancelled", [], None, None
        seconds = {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0}
        if status == "cancelled" or cancel.is_set():
            if args.protocol:
                emit({"type": "done", "status": "cancelled", "modelDir": None, "seconds": seconds})
            else:
                print("cancelled: nothing was written", file=sys.stderr)
            return 2
        extra = {}
        if source is not None:
            out_abs = os.path.abspath(out_dir)
            rel_data = os.path.relpath(os.path.abspath(data_path), out_abs)
            ranges, means = column_stats(source["all_inputs"], spec["inputs"])
            extra = {
                "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
                "spec": {**spec, "data": rel_data, "outDir": "."},
                "data": {"path": rel_data, "sha256": source["sha256"], "rows": source["rows"]},
                "trainingRange": ranges,
                "trainingMean": means,
            }
        save_model_folder(model, norm, info, out_dir, extra)
        if args.protocol:
            emit({"type": "done", "status": status, "modelDir": os.path.abspath(out_dir), "backend": info["backend"], "seconds": seconds, "processCpu": time.process_time()})
        else:
            print(f"{status} after {len(history)} epochs ({info['backend']}); model saved to {out_dir}", file=sys.stderr)
        return 0
    except (SpecError, DataError) as err:
        if args.protocol:
            emit({"type": "error", "name": type(err).__name__, "message": str(err)})
        else:
            print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # reported to the engine with its message (divergence among them)
        if args.protocol:
            emit({"type": "error", "name": "Error", "message": str(err)})
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
