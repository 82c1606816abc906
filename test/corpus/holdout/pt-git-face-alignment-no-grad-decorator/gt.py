import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import numpy as np

CASE = "pt-git-face-alignment-no-grad-decorator"


def _modules():
    # skimage is not installed here and face_alignment.utils is the package's own helpers: stand-ins, used only
    # for the heatmap decoding the method calls (crop/get_preds_fromhm), never for autograd.
    for name in ["skimage", "skimage.io", "skimage.color", "face_alignment", "face_alignment.utils"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["skimage"].io = sys.modules["skimage.io"]
    sys.modules["skimage"].color = sys.modules["skimage.color"]
    sys.modules["face_alignment"].__path__ = []
    utils = sys.modules["face_alignment.utils"]
    utils.crop = lambda image, center, scale: np.zeros((16, 16, 3), dtype=np.float32) + image.mean()
    utils.flip = lambda t, is_label=False: t.flip(-1)
    utils.get_preds_fromhm = lambda hm, center, scale: (torch.zeros(1, 68, 2), torch.zeros(1, 68, 2))
    utils.draw_gaussian = lambda image, point, sigma: image
    utils.__all__ = ["crop", "flip", "get_preds_fromhm", "draw_gaussian"]


@gt.case(CASE)
def _():
    _modules()
    torch.set_grad_enabled(True)
    ns = gt.exec_snippet(__file__, {"__package__": "face_alignment"})
    fa = object.__new__(ns["FaceAlignment"])
    torch.manual_seed(0)
    fa.device, fa.flip_input, fa.landmarks_type = "cpu", False, ns["LandmarksType"]._2D
    fa.face_alignment_net = lambda inp: [torch.nn.functional.avg_pool2d(inp, 4)]
    fa.face_detector = types.SimpleNamespace(reference_scale=195.0)
    image = np.random.RandomState(0).randint(0, 255, (32, 32, 3)).astype(np.uint8)
    fa.get_landmarks_from_image(image, detected_faces=[np.array([2.0, 2.0, 30.0, 30.0])])
    enabled = torch.is_grad_enabled()
    # The user's own training step right after extracting landmarks (issue #140's situation).
    model = torch.nn.Linear(4, 1)
    loss = model(torch.randn(8, 4)).pow(2).mean()
    err = gt.raises(loss.backward)
    torch.set_grad_enabled(True)
    return (not enabled) or err is not None, (f"after get_landmarks_from_image torch.is_grad_enabled()={enabled}; "
                                              f"a later training step's backward: {err or 'ran'}")


gt.main()
