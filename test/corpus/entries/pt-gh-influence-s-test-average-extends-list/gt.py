import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-influence-s-test-average-extends-list"


@gt.case(CASE)
def _():
    # Stand-ins for the package's modules: s_test returns one stochastic estimate (a list of per-parameter
    # tensors, like the real LiSSA recursion does), a different one per call.
    calls = []

    def s_test(z_test, t_test, model, train_loader, gpu=-1, damp=0.01, scale=25, recursion_depth=5000):
        k = len(calls) + 1
        calls.append(k)
        return [torch.full((3,), float(k)), torch.full((2,), 10.0 * k)]

    pkg = types.ModuleType("pytorch_influence_functions")
    inf = types.ModuleType("pytorch_influence_functions.influence_function")
    inf.s_test, inf.grad_z = s_test, None
    utils = types.ModuleType("pytorch_influence_functions.utils")
    utils.save_json, utils.display_progress = None, lambda *a, **k: None
    sys.modules.update({"pytorch_influence_functions": pkg,
                        "pytorch_influence_functions.influence_function": inf,
                        "pytorch_influence_functions.utils": utils})
    ns = gt.exec_snippet(__file__, {})
    r = 3
    out = ns["calc_s_test_single"](None, None, None, None, r=r)
    expected = [torch.full((3,), 2.0), torch.full((2,), 20.0)]  # mean of k = 1, 2, 3
    # influence pairs s_test with grad_z by zip, i.e. only the first len(params) entries count
    used = out[: len(expected)]
    err = max(float((u - e).abs().max()) for u, e in zip(used, expected))
    return err > 1e-6, (f"r={r}: returned {len(out)} tensors for 2 parameters; first entries "
                        f"{[round(float(u[0]), 3) for u in used]} vs average {[float(e[0]) for e in expected]}")


gt.main()
