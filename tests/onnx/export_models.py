#!/usr/bin/python3
"""Exports small random-weight PyTorch models with PyTorch's own ONNX exporter, for tst_onnx.

For each model NAME it writes NAME.onnx, NAME-input.npy and NAME-output.npy (what PyTorch
computes on that input) into the folder given. Uses Debian's python3-torch (1.13).
Usage: export_models.py FOLDER
"""
import os
import sys

import numpy
import torch
from torch import nn


class ResidualCnn(nn.Module):
    """Two residual blocks (conv-bn-relu, a strided projection), pooling and a linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.block1 = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                    nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16))
        self.block2 = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32),
                                    nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32))
        self.project = nn.Conv2d(16, 32, 1, stride=2)
        self.pool = nn.MaxPool2d(2)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.stem(x)
        x = torch.relu(x + self.block1(x))
        x = torch.relu(self.project(x) + self.block2(x))
        x = self.pool(x)
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return torch.softmax(self.head(x), 1)


class DepthwiseNet(nn.Module):
    """MobileNet-style depthwise-separable convolutions with ReLU6 and hard-swish."""

    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU6()]
        for cin, cout, stride in [(16, 32, 1), (32, 64, 2), (64, 64, 1)]:
            layers += [nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin),
                       nn.BatchNorm2d(cin), nn.ReLU6(),
                       nn.Conv2d(cin, cout, 1), nn.BatchNorm2d(cout), nn.Hardswish()]
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(64, 5)

    def forward(self, x):
        x = self.features(x).mean([2, 3])
        return self.head(x)


class UNet3d(nn.Module):
    """A two-level 3-D U-Net: conv blocks, max pooling, a transposed-convolution upsampling, a
    skip connection by concatenation and per-voxel class probabilities."""

    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True),
                                 nn.LeakyReLU(0.01), nn.Conv3d(cout, cout, 3, padding=1), nn.ReLU())

        self.down = block(1, 8)
        self.pool = nn.MaxPool3d(2)
        self.bottom = block(8, 16)
        self.up = nn.ConvTranspose3d(16, 8, 2, stride=2)
        self.decode = block(16, 8)
        self.out = nn.Conv3d(8, 3, 1)

    def forward(self, x):
        skip = self.down(x)
        x = self.up(self.bottom(self.pool(skip)))
        x = self.decode(torch.cat([x, skip], 1))
        return torch.softmax(self.out(x), 1)


class TransformerEncoder(nn.Module):
    """Two pre-built transformer encoder layers (multi-head attention, GELU feed-forward,
    LayerNorm) over 12 tokens of width 32, mean-pooled into a classifier."""

    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, dropout=0.0,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return torch.softmax(self.head(self.encoder(x).mean(1)), -1)


MODELS = {
    "residual-cnn": (ResidualCnn, [1, 3, 32, 32], 11),
    "depthwise-net": (DepthwiseNet, [1, 3, 32, 32], 13),
    "unet3d": (UNet3d, [1, 1, 16, 16, 16], 13),
    "transformer-encoder": (TransformerEncoder, [1, 12, 32], 17),
}


def randomize_statistics(model):
    """Batch-norm statistics away from 0 and 1, so that folding them is tested."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(7)
    for name, (cls, shape, opset) in MODELS.items():
        model = cls().eval()
        randomize_statistics(model)
        x = torch.randn(shape)
        with torch.no_grad():
            y = model(x)
        # Exported with gradients on: PyTorch's fused transformer kernel (which ONNX cannot
        # express) is then not used.
        torch.onnx.export(model, (x,), os.path.join(out, name + ".onnx"), opset_version=opset,
                          input_names=["input"], output_names=["output"])
        numpy.save(os.path.join(out, name + "-input.npy"), x.numpy())
        numpy.save(os.path.join(out, name + "-output.npy"), y.numpy())
        print(name, "opset", opset, "output", list(y.shape))


if __name__ == "__main__":
    main()
