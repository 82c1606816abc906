import torch
import torch.nn.functional as F
from utils import *


class FGSM(object):
    def __init__(self,model,criterion,orig_img,orig_label,eps):
        self.model = model
        self.criterion = criterion
        self.orig_img = orig_img
        self.epsilon = eps
        self.orig_label = orig_label

    def attack(self):
        output,pred,op_probs,pred_prob = getPredictionInfo(self.model,self.orig_img)

        loss = self.criterion(output,self.orig_label)
        loss.backward()
        img_grad = torch.sign(self.orig_img.grad.data)             # sign of the gradient
        adv_img = self.orig_img.data + self.epsilon*img_grad

        return adv_img,img_grad
