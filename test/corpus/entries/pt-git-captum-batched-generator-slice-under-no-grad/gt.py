"""Ground truth for pt-git-captum-batched-generator-slice-under-no-grad: the snippet's _batched_generator and _batched_operator, run as written (their relative
imports replaced by small stand-ins for captum's _format_input, _format_additional_forward_args, _tuple_splice_range
and _reduce_list) under torch.no_grad(), with an operator that differentiates the model with respect to its inputs
inside torch.autograd.set_grad_enabled(True), as captum's compute_gradients does; internal_batch_size=2."""
import os
import re
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-captum-batched-generator-slice-under-no-grad"


@gt.case(CASE)
def _():
    src = open(os.path.join(HERE, "snippet.py")).read()
    src = re.sub(r"from \.\.\._utils\.typing import \([^)]*\)\n", "", src)
    src = re.sub(r"from \.\.\._utils\.common import [^\n]*\n", "", src)
    ns = {
        "TargetType": object, "TensorOrTupleOfTensorsGeneric": object, "TupleOrTensorOrBoolGeneric": object,
        "_format_input": lambda x: x if isinstance(x, tuple) else (x,),
        "_format_additional_forward_args": lambda a: a,
        "_tuple_splice_range": lambda inputs, s, e: None if inputs is None else tuple(i[s:e] for i in inputs),
        "_reduce_list": lambda outs: torch.cat(outs),
    }
    exec(compile(src, "batching.py", "exec"), ns)
    model = gt.mlp(3, 1, dtype=torch.float32)

    def gradients(inputs, additional_forward_args=None, target_ind=None):
        with torch.autograd.set_grad_enabled(True):
            out = model(*inputs).sum()
            return torch.autograd.grad(out, inputs)[0]

    x = torch.rand(6, 3, requires_grad=True)
    reference = gradients((x,))
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        box = {}
        err = gt.raises(lambda: box.setdefault("g", ns["_batched_operator"](gradients, x, internal_batch_size=2)))
    same = "g" in box and torch.allclose(box["g"], reference)
    return err is not None or not same, f"batched gradients under no_grad: {err or ('equal to the unbatched ones' if same else 'differ')}"


gt.main()
