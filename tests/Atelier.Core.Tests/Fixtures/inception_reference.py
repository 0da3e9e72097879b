"""Writes a torchvision inception_v3 state dict with random weights, a fixed input and PyTorch's outputs for it.

usage: python3 inception_reference.py <out_dir>
Files: inception.pth, input.f32 (2x3x299x299), pool.f32 (2x2048), logits.f32 (2x1000).
"""
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True, transform_input=False)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):  # non-trivial statistics, so the test sees them used
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.8, 1.2)
            m.bias.uniform_(-0.1, 0.1)
model.eval()
torch.save(model.state_dict(), f"{out}/inception.pth")
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
