using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Atelier.Metrics;

/// <summary>The blocks of torchvision's Inception v3, with pytorch-fid's pooling where its FID weights need it.</summary>
public sealed partial class InceptionV3Features
{
    internal enum PoolKind { Average, AverageExcludingPadding, Max }

    private static Tensor Pool3(Tensor x, PoolKind kind) => kind switch
    {
        PoolKind.Max => F.max_pool2d(x, 3, 1, 1),
        PoolKind.AverageExcludingPadding => F.avg_pool2d(x, 3, 1, 1, count_include_pad: false),
        _ => F.avg_pool2d(x, 3, 1, 1),
    };

    internal sealed class BasicConv2d : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly TorchSharp.Modules.Conv2d conv;
        private readonly TorchSharp.Modules.BatchNorm2d bn;
#pragma warning restore IDE1006

        public BasicConv2d(int input, int output, int kernel, int stride = 1, int padding = 0) : this(input, output, (kernel, kernel), stride, (padding, padding)) { }

        public BasicConv2d(int input, int output, (long, long) kernel, int stride, (long, long) padding) : base("BasicConv2d")
        {
            conv = nn.Conv2d(input, output, kernel, stride: (stride, stride), padding: padding, bias: false);
            bn = nn.BatchNorm2d(output, eps: 0.001);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => F.relu(bn.forward(conv.forward(x)));
    }

    internal sealed class InceptionA : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly BasicConv2d branch1x1, branch5x5_1, branch5x5_2, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3, branch_pool;
#pragma warning restore IDE1006
        private readonly PoolKind _pool;

        public InceptionA(int input, int poolFeatures, bool fid) : base("InceptionA")
        {
            branch1x1 = new BasicConv2d(input, 64, 1);
            branch5x5_1 = new BasicConv2d(input, 48, 1);
            branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
            branch3x3dbl_1 = new BasicConv2d(input, 64, 1);
            branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
            branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
            branch_pool = new BasicConv2d(input, poolFeatures, 1);
            _pool = fid ? PoolKind.AverageExcludingPadding : PoolKind.Average;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat(new[]
        {
            branch1x1.forward(x),
            branch5x5_2.forward(branch5x5_1.forward(x)),
            branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x))),
            branch_pool.forward(Pool3(x, _pool)),
        }, 1);
    }

    internal sealed class InceptionB : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly BasicConv2d branch3x3, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3;
#pragma warning restore IDE1006

        public InceptionB(int input) : base("InceptionB")
        {
            branch3x3 = new BasicConv2d(input, 384, 3, stride: 2);
            branch3x3dbl_1 = new BasicConv2d(input, 64, 1);
            branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
            branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat(new[]
        {
            branch3x3.forward(x),
            branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x))),
            F.max_pool2d(x, 3, 2),
        }, 1);
    }

    internal sealed class InceptionC : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly BasicConv2d branch1x1, branch7x7_1, branch7x7_2, branch7x7_3,
            branch7x7dbl_1, branch7x7dbl_2, branch7x7dbl_3, branch7x7dbl_4, branch7x7dbl_5, branch_pool;
#pragma warning restore IDE1006
        private readonly PoolKind _pool;

        public InceptionC(int input, int c7, bool fid) : base("InceptionC")
        {
            branch1x1 = new BasicConv2d(input, 192, 1);
            branch7x7_1 = new BasicConv2d(input, c7, 1);
            branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), 1, (0, 3));
            branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), 1, (3, 0));
            branch7x7dbl_1 = new BasicConv2d(input, c7, 1);
            branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), 1, (3, 0));
            branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), 1, (0, 3));
            branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), 1, (3, 0));
            branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), 1, (0, 3));
            branch_pool = new BasicConv2d(input, 192, 1);
            _pool = fid ? PoolKind.AverageExcludingPadding : PoolKind.Average;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat(new[]
        {
            branch1x1.forward(x),
            branch7x7_3.forward(branch7x7_2.forward(branch7x7_1.forward(x))),
            branch7x7dbl_5.forward(branch7x7dbl_4.forward(branch7x7dbl_3.forward(branch7x7dbl_2.forward(branch7x7dbl_1.forward(x))))),
            branch_pool.forward(Pool3(x, _pool)),
        }, 1);
    }

    internal sealed class InceptionD : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly BasicConv2d branch3x3_1, branch3x3_2, branch7x7x3_1, branch7x7x3_2, branch7x7x3_3, branch7x7x3_4;
#pragma warning restore IDE1006

        public InceptionD(int input) : base("InceptionD")
        {
            branch3x3_1 = new BasicConv2d(input, 192, 1);
            branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
            branch7x7x3_1 = new BasicConv2d(input, 192, 1);
            branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), 1, (0, 3));
            branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), 1, (3, 0));
            branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat(new[]
        {
            branch3x3_2.forward(branch3x3_1.forward(x)),
            branch7x7x3_4.forward(branch7x7x3_3.forward(branch7x7x3_2.forward(branch7x7x3_1.forward(x)))),
            F.max_pool2d(x, 3, 2),
        }, 1);
    }

    internal sealed class InceptionE : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly BasicConv2d branch1x1, branch3x3_1, branch3x3_2a, branch3x3_2b,
            branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b, branch_pool;
#pragma warning restore IDE1006
        private readonly PoolKind _pool;

        public InceptionE(int input, PoolKind pool) : base("InceptionE")
        {
            branch1x1 = new BasicConv2d(input, 320, 1);
            branch3x3_1 = new BasicConv2d(input, 384, 1);
            branch3x3_2a = new BasicConv2d(384, 384, (1, 3), 1, (0, 1));
            branch3x3_2b = new BasicConv2d(384, 384, (3, 1), 1, (1, 0));
            branch3x3dbl_1 = new BasicConv2d(input, 448, 1);
            branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
            branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), 1, (0, 1));
            branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), 1, (1, 0));
            branch_pool = new BasicConv2d(input, 192, 1);
            _pool = pool;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var b3 = branch3x3_1.forward(x);
            var d3 = branch3x3dbl_2.forward(branch3x3dbl_1.forward(x));
            return cat(new[]
            {
                branch1x1.forward(x),
                cat(new[] { branch3x3_2a.forward(b3), branch3x3_2b.forward(b3) }, 1),
                cat(new[] { branch3x3dbl_3a.forward(d3), branch3x3dbl_3b.forward(d3) }, 1),
                branch_pool.forward(Pool3(x, _pool)),
            }, 1);
        }
    }
}
