import torch
import torch.nn as nn


class ResNet50(nn.Module):

    def __init__(self, use_cbam=True, image_depth=3, num_classes=[20,100]):
        super(ResNet50, self).__init__()
        self.expansion = 4
        self.conv_block1 = nn.Sequential(nn.Conv2d(kernel_size=3, stride=1, in_channels=image_depth, out_channels=64, padding=1, bias=False),
                                            nn.BatchNorm2d(64),
                                            nn.ReLU(inplace=True),
                                            nn.MaxPool2d(stride=2, kernel_size=2))
        ...
        self.avgpool = nn.AvgPool2d(7)
        self.linear_lvl1 = nn.Linear(512*self.expansion, num_classes[0])
        self.linear_lvl2 = nn.Linear(512*self.expansion, num_classes[1])
        self.softmax_reg1 = nn.Linear(num_classes[0], num_classes[0])
        self.softmax_reg2 = nn.Linear(num_classes[0]+num_classes[1], num_classes[1])

    def forward(self, x):
        x = self.conv_block1(x)
        ...
        x = self.avgpool(x_conv)
        x = nn.Flatten()(x)
        level_1 = self.softmax_reg1(self.linear_lvl1(x))
        level_2 = self.softmax_reg2(torch.cat((level_1, self.linear_lvl2(x)), dim=1))
        return level_1, level_2
