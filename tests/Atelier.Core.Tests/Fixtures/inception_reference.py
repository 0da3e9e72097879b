"""Writes an Inception v3 state dict with random weights, a fixed input and PyTorch's outputs for it.

usage: python3 inception_reference.py <out_dir> [--fid]
Without --fid: torchvision's inception_v3 (seed 0, 1000 classes, auxiliary head).
Files: inception.pth, input.f32 (2x3x299x299), pool.f32 (2x2048), logits.f32 (2x1000).
With --fid: pytorch-fid's network (seed 1): torchvision's modules with 1008 classes, no auxiliary head, and the
forwards pytorch-fid (mseitzer/pytorch-fid, inception.py) gives its blocks where TensorFlow's graph pools differently:
InceptionA, InceptionC and the first InceptionE average without counting padding (count_include_pad=False), the last
InceptionE max-pools. They are written out below because pytorch-fid is not packaged for Debian.
Files: fid.pth, input.f32, pool.f32 (2x2048), logits.f32 (2x1008).
"""
import sys
import types

import torch
import torch.nn.functional as F
import torchvision

out = sys.argv[1]
fid = "--fid" in sys.argv[2:]
torch.manual_seed(1 if fid else 0)
model = torchvision.models.inception_v3(weights=None, aux_logits=not fid, init_weights=True, transform_input=False,
                                        num_classes=1008 if fid else 1000)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):  # non-trivial statistics, so the test sees them used
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.8, 1.2)
            m.bias.uniform_(-0.1, 0.1)


def fid_a(self, x):
    b1 = self.branch1x1(x)
    b5 = self.branch5x5_2(self.branch5x5_1(x))
    b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
    bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
    return torch.cat([b1, b5, b3, bp], 1)


def fid_c(self, x):
    b1 = self.branch1x1(x)
    b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
    bd = self.branch7x7dbl_5(self.branch7x7dbl_4(self.branch7x7dbl_3(self.branch7x7dbl_2(self.branch7x7dbl_1(x)))))
    bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
    return torch.cat([b1, b7, bd, bp], 1)


def fid_e(pool):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        bp = self.branch_pool(pool(x))
        return torch.cat([b1, b3, bd, bp], 1)
    return forward


if fid:
    for name in ["Mixed_5b", "Mixed_5c", "Mixed_5d"]:
        getattr(model, name).forward = types.MethodType(fid_a, getattr(model, name))
    for name in ["Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"]:
        getattr(model, name).forward = types.MethodType(fid_c, getattr(model, name))
    average = lambda x: F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)  # noqa: E731
    model.Mixed_7b.forward = types.MethodType(fid_e(average), model.Mixed_7b)
    model.Mixed_7c.forward = types.MethodType(fid_e(lambda x: F.max_pool2d(x, kernel_size=3, stride=1, padding=1)), model.Mixed_7c)
model.eval()
torch.save(model.state_dict(), f"{out}/{'fid' if fid else 'inception'}.pth")
i = torch.arange(2 * 3 * 299 * 299, dtype=torch.float64)
x = (torch.sin(i * 0.001) * torch.cos(i * 0.00037)).float().reshape(2, 3, 299, 299)
pooled = {}
model.avgpool.register_forward_hook(lambda mod, inp, outp: pooled.__setitem__("p", torch.flatten(outp, 1)))
with torch.no_grad():
    logits = model(x)
x.numpy().tofile(f"{out}/input.f32")
pooled["p"].numpy().tofile(f"{out}/pool.f32")
logits.numpy().tofile(f"{out}/logits.f32")
print("ok")
