import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import enum
import types
import gt, torch


@gt.case("pt-git-speechbrain-wav2vec-ctc-features-detached")
def _():
    # Stand-ins for speechbrain's Brain/Stage and the recipe's modules: a "wav2vec2" feature extractor that
    # is meant to be fine-tuned (freeze_wav2vec: False, its own optimizer), an encoder and the CTC head.
    class Stage(enum.Enum):
        TRAIN = 1
        VALID = 2

    sb = types.SimpleNamespace(Brain=object, Stage=Stage)
    ns = gt.exec_snippet(__file__, {"sb": sb, "torch": torch})
    torch.manual_seed(0)
    wav2vec2 = torch.nn.Sequential(torch.nn.Linear(16, 8), torch.nn.Tanh()).double()
    enc = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Tanh()).double()
    ctc_lin = torch.nn.Linear(8, 5).double()
    asr = ns["ASR"]()
    asr.device = "cpu"
    asr.modules = types.SimpleNamespace(wav2vec2=wav2vec2, enc=enc, ctc_lin=ctc_lin)
    asr.hparams = types.SimpleNamespace(log_softmax=torch.nn.LogSoftmax(dim=-1), blank_index=0)

    class Batch:
        sig = (torch.randn(4, 10, 16, dtype=torch.float64), torch.ones(4, dtype=torch.float64))
        tokens_bos = (torch.zeros(4, 3, dtype=torch.long), None)

        def to(self, device):
            return self

    p_ctc, _, _ = asr.compute_forward(Batch(), Stage.TRAIN)
    targets = torch.randint(0, 5, (4, 10))
    loss = torch.nn.functional.nll_loss(p_ctc.reshape(-1, 5), targets.reshape(-1))  # stand-in for the CTC cost
    loss.backward()
    w2v_grads = [p.grad for p in wav2vec2.parameters()]
    enc_norm = gt.norm_of(gt.param_grads(enc))
    none = all(g is None for g in w2v_grads)
    return none, f"wav2vec2 parameter grads None: {none}; encoder grad norm {gt.fmt(enc_norm)} (the loss trains only enc/ctc_lin)"


gt.main()
