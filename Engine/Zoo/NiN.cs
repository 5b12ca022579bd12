using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// Network in Network (Lin, Chen and Yan 2014), the ImageNet model of the authors' Caffe release. Each "mlpconv"
/// block is a spatial convolution followed by two 1x1 convolutions (cascaded cross-channel pooling, a small MLP
/// slid over the image), each with ReLU:
/// <code>
/// mlpconv1: 11x11/4 3->96, 1x1 96, 1x1 96          [96,54,54] at 224x224, pool1 3x3/2 [96,27,27]
/// mlpconv2: 5x5 pad 2 ->256, 1x1 256, 1x1 256        [256,27,27], pool2 [256,13,13]
/// mlpconv3: 3x3 pad 1 ->384, 1x1 384, 1x1 384        [384,13,13], pool3 [384,6,6], dropout 0.5
/// mlpconv4: 3x3 pad 1 ->1024, 1x1 1024, 1x1 classes  [classes,6,6]
/// global average pool, flatten                        [classes]
/// </code>
/// No fully connected layer: the last 1x1 convolution gives one map per class and global average pooling turns
/// each map into a score (the idea GoogLeNet and ResNet adopted). Max pools round up (ceil mode), as in Caffe.
/// Names: <c>mlpconv2.conv</c>, <c>mlpconv2.cccp1</c>, <c>mlpconv2.cccp2.relu</c>, <c>pool2</c>.
/// 7,595,176 parameters with 1000 classes. The global pool head takes any input of at least 39x39.
/// </summary>
public static class NiN
{
    /// <summary>[3,224,224].</summary>
    public static TensorShape DefaultInput { get; } = new(3, 224, 224);

    public static Model Build(GpuContext context, int classCount = 1000, TensorShape? input = null, int seed = 0)
    {
        var b = new ZooBuilder(context, "nin", input ?? DefaultInput, classCount, seed);
        int x = MlpConv(b, "mlpconv1", 0, b.InputChannels, 96, 96, 11, stride: 4, padding: 0);
        x = b.MaxPool("pool1", x, 3, 2, ceilMode: true);
        x = MlpConv(b, "mlpconv2", x, 96, 256, 256, 5, stride: 1, padding: 2);
        x = b.MaxPool("pool2", x, 3, 2, ceilMode: true);
        x = MlpConv(b, "mlpconv3", x, 256, 384, 384, 3, stride: 1, padding: 1);
        x = b.MaxPool("pool3", x, 3, 2, ceilMode: true);
        x = b.Dropout("dropout", x, 0.5f);
        x = MlpConv(b, "mlpconv4", x, 384, 1024, classCount, 3, stride: 1, padding: 1);
        x = b.GlobalAvgPool("avgpool", x);
        b.Flatten("flatten", x);
        return b.Finish();
    }

    /// <summary>kxk conv in->width, 1x1 width->width, 1x1 width->out, each with ReLU.</summary>
    private static int MlpConv(ZooBuilder b, string name, int from, int inChannels, int width, int outChannels,
        int kernel, int stride, int padding)
    {
        int x = b.Conv($"{name}.conv", from, inChannels, width, kernel, stride, padding);
        x = b.Relu($"{name}.conv.relu", x);
        x = b.Conv($"{name}.cccp1", x, width, width, 1);
        x = b.Relu($"{name}.cccp1.relu", x);
        x = b.Conv($"{name}.cccp2", x, width, outChannels, 1);
        return b.Relu($"{name}.cccp2.relu", x);
    }
}
