import torch
from torch import autograd
from torch.autograd import Variable, grad

GENER_ITERS = 1
BATCH_SIZE = 64# Batch size. Must be a multiple of N_GPUS
END_ITER = 200000 # How many iterations to train for

def gen_rand_noise():
    noise = torch.randn(BATCH_SIZE, 128)
    if cuda_available:
        noise = noise.cuda()

    return noise

cuda_available = torch.cuda.is_available()

aG = GoodGenerator(64,64*64*3)
aD = GoodDiscriminator(64)

LR = 1e-4
optimizer_g = torch.optim.Adam(aG.parameters(), lr=LR, betas=(0,0.9))
optimizer_d = torch.optim.Adam(aD.parameters(), lr=LR, betas=(0,0.9))
one = torch.FloatTensor([1])
mone = one * -1
if cuda_available:
    aG = aG.cuda()
    aD = aD.cuda()
    one = one.cuda()
    mone = mone.cuda()

def train():
    for iteration in range(START_ITER, END_ITER):
        #---------------------TRAIN G------------------------
        for p in aD.parameters():
            p.requires_grad = False  # freeze D

        gen_cost = None
        for i in range(GENER_ITERS):
            aG.zero_grad()
            noise = gen_rand_noise()
            noisev = Variable(noise, requires_grad=True)
            fake_data = aG(noisev)
            gen_cost = aD(fake_data)
            gen_cost = gen_cost.mean()
            gen_cost.backward(mone)
            gen_cost = -gen_cost

        optimizer_g.step()

train()
