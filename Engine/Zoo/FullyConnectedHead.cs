using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Zoo;

/// <summary>
/// The AlexNet / ZFNet / VGG classifier: fc6 (features -> hidden), relu6, fc7 (hidden -> hidden), relu7,
/// fc8 (hidden -> classes), with a dropout after each ReLU (drop6, drop7; the papers' and Caffe's order) or
/// before fc6 and fc7 (torchvision's AlexNet order). Dropout layers are omitted when p is 0.
/// </summary>
internal static class FullyConnectedHead
{
    /// <param name="from">The flattened features [N, features].</param>
    public static Model Append(ZooBuilder b, int from, int features, int hidden, int classCount, float dropoutP, bool dropoutFirst = false)
    {
        int x = from;
        if (dropoutFirst && dropoutP > 0) x = b.Dropout("drop6", x, dropoutP);
        x = b.Linear("fc6", x, features, hidden);
        x = b.Relu("relu6", x);
        if (dropoutP > 0) x = b.Dropout(dropoutFirst ? "drop7" : "drop6", x, dropoutP);
        x = b.Linear("fc7", x, hidden, hidden);
        x = b.Relu("relu7", x);
        if (!dropoutFirst && dropoutP > 0) x = b.Dropout("drop7", x, dropoutP);
        b.LinearLogits("fc8", x, hidden, classCount);
        return b.Finish();
    }
}
