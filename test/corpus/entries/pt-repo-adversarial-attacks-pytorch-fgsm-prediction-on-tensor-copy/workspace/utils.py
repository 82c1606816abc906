import torch
import torch.nn.functional as F


def getPredictionInfo(model,img):
    output = model(torch.tensor(img))
    _,pred = torch.max(output.data,1)
    #     print(adv_img.data-img.data)
    op_probs = F.softmax(output, dim=1)                 #get probability distribution over classes
    pred_prob =  ((torch.max(op_probs.data, 1)[0][0]) * 100, 4)      #find probability (confidence) of a predicted class
    return output,pred,op_probs,pred_prob
