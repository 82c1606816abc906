import enum
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-nerfstudio-normals-autograd-grad-without-create-graph"


class _Subscriptable:
    def __getitem__(self, item):
        return object


def _stub(name, **attrs):
    mod = types.ModuleType(name)
    for k, v in attrs.items():
        setattr(mod, k, v)
    sys.modules[name] = mod


@gt.case(CASE)
def _():
    # nerfstudio and jaxtyping are not installed: their imports are stubbed. The subclass below follows nerfacto's
    # get_density (positions marked requires_grad, stored as _sample_locations; the MLP's first output stored as
    # _density_before_activation), with a small MLP in place of the hash-grid network.
    _stub("jaxtyping", Shaped=_Subscriptable())
    _stub("nerfstudio")
    _stub("nerfstudio.cameras")
    _stub("nerfstudio.cameras.rays", Frustums=object, RaySamples=object)
    _stub("nerfstudio.field_components")
    _stub("nerfstudio.field_components.field_heads",
          FieldHeadNames=enum.Enum("FieldHeadNames", "DENSITY NORMALS"))
    ns = gt.exec_snippet(__file__)
    Field, FieldHeadNames = ns["Field"], ns["FieldHeadNames"]
    torch.manual_seed(0)
    mlp = gt.mlp(3, 4)

    class ToyField(Field):
        def __init__(self):
            super().__init__()
            self.mlp = mlp

        def get_density(self, ray_samples):
            positions = ray_samples.clone()
            positions.requires_grad = True
            self._sample_locations = positions
            h = self.mlp(positions)
            self._density_before_activation = h[..., 0:1]
            return torch.exp(h[..., 0:1]), h[..., 1:]

        def get_outputs(self, ray_samples, density_embedding=None):
            return {}

    field = ToyField()
    x = torch.rand(8, 3, dtype=torch.float64)
    with torch.no_grad():
        out = field(x, compute_normals=True)
    normals = out[FieldHeadNames.NORMALS]

    def density_np(pts):
        with torch.no_grad():
            return mlp(torch.as_tensor(pts))[..., 0].numpy()

    g = gt.fd_gradient(density_np, x.numpy())
    expected = -g / np.linalg.norm(g, axis=-1, keepdims=True)
    err = gt.rel_err(normals, expected)
    polluted = [n for n, p in field.named_parameters() if p.grad is not None]
    bad = err > 1e-5 or bool(polluted)
    return bad, (f"normals vs finite-difference normals rel err {gt.fmt(err)}; parameters with .grad set: "
                 f"{len(polluted)}; normals carry a graph: {normals.requires_grad}")


gt.main()
