using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// LeNet-5 in its modern form (LeCun et al. 1998 with ReLU and max pooling instead of tanh, subsampling and
/// Gaussian connections), for [1,28,28] digits:
/// <code>
/// input [1,28,28]
/// conv1 5x5 1->6 pad 2 -> [6,28,28], relu1, pool1 max 2x2 -> [6,14,14]
/// conv2 5x5 6->16     -> [16,10,10], relu2, pool2 max 2x2 -> [16,5,5]
/// flatten -> 400, fc1 400->120, relu3, fc2 120->84, relu4, fc3 84->classes
/// </code>
/// 61,706 parameters for 10 classes. Another input size (e.g. [1,32,32] as in the paper) resizes fc1's input
/// (at least 12x12).
/// </summary>
public static class LeNet5
{
    /// <summary>[1,28,28] (MNIST).</summary>
    public static TensorShape DefaultInput { get; } = new(1, 28, 28);

    public static Model Build(GpuContext context, int classCount = 10, TensorShape? input = null, int seed = 0)
    {
        var b = new ZooBuilder(context, "lenet5", input ?? DefaultInput, classCount, seed);
        int x = b.Conv("conv1", 0, b.InputChannels, 6, 5, padding: 2);
        x = b.Relu("relu1", x);
        x = b.MaxPool("pool1", x, 2, 2);
        x = b.Conv("conv2", x, 6, 16, 5);
        x = b.Relu("relu2", x);
        x = b.MaxPool("pool2", x, 2, 2);
        int features = b.FeatureCount(x);
        x = b.Flatten("flatten", x);
        x = b.Linear("fc1", x, features, 120);
        x = b.Relu("relu3", x);
        x = b.Linear("fc2", x, 120, 84);
        x = b.Relu("relu4", x);
        b.LinearLogits("fc3", x, 84, classCount);
        return b.Finish();
    }
}
