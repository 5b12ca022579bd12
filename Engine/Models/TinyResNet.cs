using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Models;

/// <summary>
/// A deliberately small residual network for whole-model gradient checks (and quick experiments):
/// conv 3x3 (C->8) + BatchNorm + ReLU (or the given activation), max-pool 2 (or average), one basic block (conv-BN-ReLU-conv-BN plus the
/// identity, then ReLU), a strided projection block (conv 3x3/2 and a 1x1/2 shortcut), global average
/// pooling and a linear classifier. Every kind of backward path appears: conv, BN in training mode,
/// pooling, a residual Add summing two gradients, a node feeding two layers, and a dense head.
/// </summary>
public static class TinyResNet
{
    public static Model Build(GpuContext context, int inputChannels = 3, int size = 12, int classCount = 5, int seed = 0,
        ActivationOptions? activation = null, bool maxPool = true)
    {
        ActivationOptions act = activation ?? ActivationOptions.Relu();
        var random = new Random(seed);
        var m = new Model(context, "tiny-resnet", new TensorShape(inputChannels, size, size));
        Conv2dLayer Conv(string name, int cin, int cout, int k, int stride) =>
            new(context, name, cin, cout, k, k, Conv2dOptions.Create(stride, k / 2), bias: false, random: random);

        m.Add(Conv("stem.conv", inputChannels, 8, 3, 1));
        m.Add(new BatchNorm2dLayer(context, "stem.bn", 8));
        m.Add(new ActivationLayer("stem.relu", act));
        int trunk = m.Add(maxPool
            ? new MaxPool2dLayer("stem.pool", Pool2dOptions.Create(2))
            : new AvgPool2dLayer("stem.pool", Pool2dOptions.Create(2)));

        // Basic block: y = relu(bn(conv(relu(bn(conv(x))))) + x).
        m.Add(Conv("block1.conv1", 8, 8, 3, 1), trunk);
        m.Add(new BatchNorm2dLayer(context, "block1.bn1", 8));
        m.Add(new ActivationLayer("block1.relu1", act));
        m.Add(Conv("block1.conv2", 8, 8, 3, 1));
        int branch = m.Add(new BatchNorm2dLayer(context, "block1.bn2", 8));
        m.Add(new AddLayer("block1.add"), branch, trunk);
        int block1 = m.Add(new ActivationLayer("block1.relu2", act));

        // Projection block: stride 2, 8 -> 16 channels, 1x1/2 shortcut.
        m.Add(Conv("block2.conv1", 8, 16, 3, 2), block1);
        m.Add(new BatchNorm2dLayer(context, "block2.bn1", 16));
        m.Add(new ActivationLayer("block2.relu1", act));
        m.Add(Conv("block2.conv2", 16, 16, 3, 1));
        int main = m.Add(new BatchNorm2dLayer(context, "block2.bn2", 16));
        m.Add(Conv("block2.shortcut", 8, 16, 1, 2), block1);
        int shortcut = m.Add(new BatchNorm2dLayer(context, "block2.shortcut_bn", 16));
        m.Add(new AddLayer("block2.add"), main, shortcut);
        m.Add(new ActivationLayer("block2.relu2", act));

        m.Add(new GlobalAvgPoolLayer("pool"));
        m.Add(new FlattenLayer("flatten"));
        m.Add(new LinearLayer(context, "fc", 16, classCount, random: random));
        return m;
    }
}
