"""The Autograd Lens MLP as a PyTorch module.

One definition, used by both the PyTorch training engine (autograd_lens_train.py trains `net`, the
network in normalized units) and the PyTorch export (`autograd-lens export --format pytorch` copies
this text into the exported model.py). It needs only PyTorch.

`AutogradLensMLP` maps RAW inputs [N, n_in] to RAW outputs [N, n_out]; the normalization of the
training run is inside, as buffers:

    x_n = (x - x_offset) / x_scale        (per input column)
    y_n = net(x_n)                        (dense layers, the hidden activation, linear output layer)
    y   = y_n * y_scale + y_offset        (per output column)

so `torch.autograd.grad(net(x)[:, k].sum(), x)` is d y_k / d x in raw units: the chain rule through
the scaling is done by autograd, and nobody has to remember the 1/x_scale factor.

Precision: by default the network is float32 (the dtype it was trained in) and the normalization is
done in float64 (as the extension does), whatever the input's dtype; the output has the input's
dtype. `module.double()` makes everything float64; `module.float()` everything float32 (needed on
devices without float64, such as Apple's MPS).

Weights are stored as in the TensorFlow.js layers format: per dense layer a kernel [n_in, n_out]
(row-major float32, little-endian) and a bias [n_out]; torch.nn.Linear keeps the transpose.
"""
import json
import math
import os
import sys

import torch

ACTIVATIONS = ("tanh", "softplus", "silu", "sin", "relu")


class Sin(torch.nn.Module):
    """Element-wise sine (the `sin` activation)."""

    def forward(self, z):
        return torch.sin(z)


def make_activation(name):
    """The hidden-layer activation `name` as a module (silu is z * sigmoid(z))."""
    if name == "tanh":
        return torch.nn.Tanh()
    if name == "softplus":
        return torch.nn.Softplus()
    if name == "silu":
        return torch.nn.SiLU()
    if name == "sin":
        return Sin()
    if name == "relu":
        return torch.nn.ReLU()
    raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}")


def _column_vector(values, what, count):
    if not isinstance(values, (list, tuple)) or len(values) != count:
        raise ValueError(f"normalization {what} must be a list of {count} numbers")
    out = [float(v) for v in values]
    if not all(math.isfinite(v) for v in out):
        raise ValueError(f"normalization {what} holds a value that is not finite")
    return torch.tensor(out, dtype=torch.float64)


class AutogradLensMLP(torch.nn.Module):
    """Raw inputs [N, n_in] -> raw outputs [N, n_out], normalization inside (see the module docstring).

    inputs, outputs: column names; hidden: hidden layer widths; activation: one of ACTIVATIONS;
    normalization: {"inputs": {"offset": [...], "scale": [...]}, "outputs": {...}} as stored in
    autograd-lens.json (raw = normalized * scale + offset).
    """

    def __init__(self, inputs, outputs, hidden, activation, normalization, dtype=torch.float32):
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.hidden = [int(h) for h in hidden]
        self.activation = activation
        sizes = [len(self.inputs), *self.hidden, len(self.outputs)]
        layers = []
        for l in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[l], sizes[l + 1], dtype=dtype))
            if l < len(sizes) - 2:
                layers.append(make_activation(activation))
        self.net = torch.nn.Sequential(*layers)
        ni, no = len(self.inputs), len(self.outputs)
        self.register_buffer("x_offset", _column_vector(normalization["inputs"]["offset"], "inputs.offset", ni))
        self.register_buffer("x_scale", _column_vector(normalization["inputs"]["scale"], "inputs.scale", ni))
        self.register_buffer("y_offset", _column_vector(normalization["outputs"]["offset"], "outputs.offset", no))
        self.register_buffer("y_scale", _column_vector(normalization["outputs"]["scale"], "outputs.scale", no))
        if bool((self.x_scale == 0).any()) or bool((self.y_scale == 0).any()):
            raise ValueError("normalization scales must not be zero")

    def dense(self):
        """The torch.nn.Linear layers, input to output."""
        return [m for m in self.net if isinstance(m, torch.nn.Linear)]

    def forward(self, x):
        if not torch.is_tensor(x) or x.dim() != 2 or x.shape[1] != len(self.inputs):
            shape = tuple(x.shape) if torch.is_tensor(x) else type(x).__name__
            raise ValueError(f"expected raw inputs of shape [N, {len(self.inputs)}] (columns {', '.join(self.inputs)}), got {shape}")
        if not x.is_floating_point():
            raise TypeError(f"inputs must be float32 or float64, got {x.dtype}")
        norm = self.x_offset.dtype
        net = self.net[0].weight.dtype
        xn = ((x.to(norm) - self.x_offset) / self.x_scale).to(net)
        yn = self.net(xn)
        return (yn.to(norm) * self.y_scale + self.y_offset).to(x.dtype)

    @torch.no_grad()
    def set_dense_weights(self, layers):
        """layers: per dense layer (kernel, bias) as tensors [n_in, n_out] and [n_out] (any float dtype)."""
        dense = self.dense()
        if len(layers) != len(dense):
            raise ValueError(f"{len(layers)} weight layers given, the network has {len(dense)}")
        for lin, (kernel, bias) in zip(dense, layers):
            if tuple(kernel.shape) != (lin.in_features, lin.out_features) or tuple(bias.shape) != (lin.out_features,):
                raise ValueError(f"layer weights of shape {tuple(kernel.shape)} / {tuple(bias.shape)} do not fit a {lin.in_features}->{lin.out_features} layer")
            lin.weight.copy_(kernel.t())
            lin.bias.copy_(bias)

    @torch.no_grad()
    def dense_weights(self):
        """Per dense layer (kernel [n_in, n_out], bias [n_out]) as float32 CPU tensors."""
        return [(lin.weight.detach().t().float().cpu().contiguous(), lin.bias.detach().float().cpu().contiguous()) for lin in self.dense()]


def dense_weights_from_bytes(specs, data):
    """Dense layers from TensorFlow.js weight specs ([{"name", "shape", "dtype"}], in order) and the
    bytes of the weights file: [(kernel [n_in, n_out], bias [n_out])], float32."""
    if sys.byteorder != "little":
        raise RuntimeError("the weights file is little-endian float32; this machine is big-endian")
    tensors = []
    offset = 0
    for spec in specs:
        if spec.get("dtype", "float32") != "float32":
            raise ValueError(f"weight {spec.get('name')}: dtype {spec.get('dtype')} is not float32")
        count = 1
        for s in spec["shape"]:
            count *= int(s)
        size = 4 * count
        if offset + size > len(data):
            raise ValueError(f"the weights file is too short: {spec.get('name')} needs bytes {offset}..{offset + size}, the file has {len(data)}")
        t = torch.frombuffer(bytearray(data[offset:offset + size]), dtype=torch.float32) if count else torch.zeros(0)
        tensors.append(t.reshape([int(s) for s in spec["shape"]]).clone())
        offset += size
    if offset != len(data):
        raise ValueError(f"the weights file has {len(data)} bytes, the weight specs describe {offset}")
    if len(tensors) % 2:
        raise ValueError("expected a kernel and a bias per dense layer")
    return [(tensors[i], tensors[i + 1]) for i in range(0, len(tensors), 2)]


def load_model_folder(path, dtype=torch.float32):
    """An Autograd Lens model folder (model.json + weights.bin + autograd-lens.json, written by either
    training engine) as an AutogradLensMLP (eval mode)."""
    with open(os.path.join(path, "autograd-lens.json"), encoding="utf-8") as fh:
        meta = json.load(fh)
    if meta.get("format") != "autograd-lens-mlp":
        raise ValueError(f"{path}: autograd-lens.json has format {meta.get('format')!r}, expected 'autograd-lens-mlp'")
    with open(os.path.join(path, "model.json"), encoding="utf-8") as fh:
        topology = json.load(fh)
    specs, data = [], b""
    for group in topology["weightsManifest"]:
        specs.extend(group["weights"])
        for p in group["paths"]:
            with open(os.path.join(path, os.path.basename(p)), "rb") as fh:
                data += fh.read()
    layers = dense_weights_from_bytes(specs, data)
    hidden = [int(kernel.shape[1]) for kernel, _ in layers[:-1]]
    net = AutogradLensMLP(meta["inputs"], meta["outputs"], hidden, meta["activation"], meta["normalization"])
    net.set_dense_weights(layers)
    if dtype == torch.float64:
        net = net.double()
    net.eval()
    return net
