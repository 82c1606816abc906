from .model_wrapper import ModelWrapper
from .utils import gradient
