import torch
from torch import nn
from torch.nn import functional as F


class Learner(nn.Module):

    def __init__(self, config, neuromodulation=True):
        super(Learner, self).__init__()

        self.config = config
        self.Neuromodulation = neuromodulation
        # this dict contains all tensors needed to be optimized
        self.vars = nn.ParameterList()

        for i, (name, param) in enumerate(self.config):
            if 'linear' in name or 'nm_to' in name or name == 'fc':

                # [ch_out, ch_in]
                w = nn.Parameter(torch.ones(*param))
                # gain=1 according to cbfinn's implementation
                torch.nn.init.kaiming_normal_(w)
                self.vars.append(w)
                # [ch_out]
                self.vars.append(nn.Parameter(torch.zeros(param[0])))

            elif name in ['tanh', 'relu', 'upsample', 'avg_pool2d', 'max_pool2d',
                          'flatten', 'reshape', 'leakyrelu', 'sigmoid']:
                continue
            else:
                raise NotImplementedError

    def forward(self, x, vars=None, bn_training=True, feature=False):
        if vars is None:
            vars = self.vars
        idx = 0

        for name, param in self.config:
            if name == 'linear':

                w, b = vars[idx], vars[idx + 1]
                x = F.linear(x, w, b)
                idx += 2

            elif name == 'relu':
                x = F.relu(x, inplace=param[0])
            else:
                raise NotImplementedError

        return (x)

    def parameters(self):
        """
        override this function since initial parameters will return with a generator.
        :return:
        """
        return self.vars
