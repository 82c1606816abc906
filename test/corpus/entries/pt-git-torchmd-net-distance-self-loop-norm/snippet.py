import torch
from torch import nn


class Distance(nn.Module):
    def __init__(self, cutoff_lower, cutoff_upper, max_num_neighbors=32, loop=False):
        super(Distance, self).__init__()
        self.cutoff_lower = cutoff_lower
        self.cutoff_upper = cutoff_upper
        self.max_num_neighbors = max_num_neighbors
        self.loop = loop

    def forward(self, pos, batch):
        edge_index = radius_graph(pos, r=self.cutoff_upper, batch=batch, loop=self.loop,
                                  max_num_neighbors=self.max_num_neighbors)
        edge_weight = (pos[edge_index[0]] - pos[edge_index[1]]).norm(dim=-1)

        lower_mask = edge_weight >= self.cutoff_lower
        edge_index = edge_index[:,lower_mask]
        edge_weight = edge_weight[lower_mask]
        return edge_index, edge_weight
