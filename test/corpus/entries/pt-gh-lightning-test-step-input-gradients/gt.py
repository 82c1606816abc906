import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-lightning-test-step-input-gradients"
L = gt.lightning_stand_in()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})

    class Classifier(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(12, 3))

        test_step = ns["test_step"]
        criterion_ce = ns["criterion_ce"]

    module = Classifier()
    imgs, labels = torch.rand(4, 3, 2, 2), torch.tensor([0, 1, 2, 0])
    # the same hook with recording on (as in training), for contrast
    module.test_step((imgs, labels), 0)
    ok = module.last_grad is not None
    # Lightning's test loop: eval() and the step under no_grad (2020, the issue) / inference_mode (today's default)
    errs = []
    for mode in (False, True):
        module.eval()
        ctx = torch.inference_mode if mode else torch.no_grad
        with ctx():
            errs.append(gt.raises(lambda: module.test_step((imgs, labels), 0)))
    failed = all(e is not None and "grad" in e for e in errs)
    return failed and ok, f"with recording on the input gradient is computed: {ok}; under no_grad / inference_mode: {errs}"


gt.main()
