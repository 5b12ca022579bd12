using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>
/// Element-wise activations (<see cref="ActivationLayer"/>), PRelu (<see cref="PReluLayer"/>), and Softmax /
/// LogSoftmax (<see cref="SoftmaxLayer"/>) with their opset-dependent axis meaning: before opset 13 the input is
/// coerced to 2-D [d0*...*d(axis-1), d(axis)*...*d(n-1)] and each row normalized; from opset 13 the normalization
/// runs along the one axis (default -1).
/// </summary>
internal static class ActivationConverters
{
    public static void Register(Dictionary<string, Action<GraphBuilder>> table)
    {
        table["Relu"] = b => Activation(b, ActivationOptions.Relu());
        table["LeakyRelu"] = b => Activation(b, ActivationOptions.LeakyRelu(b.Attributes().Float("alpha", 0.01f)));
        table["Elu"] = b => Activation(b, ActivationOptions.Elu(b.Attributes().Float("alpha", 1f)));
        table["Selu"] = b => Activation(b, ActivationOptions.Selu() with
        {
            Alpha = b.Attributes().Float("alpha", ActivationOptions.SeluAlpha),
            Scale = b.Attributes().Float("gamma", ActivationOptions.SeluScale),
        });
        table["Sigmoid"] = b => Activation(b, ActivationOptions.Sigmoid());
        table["Tanh"] = b => Activation(b, ActivationOptions.Tanh());
        table["Softplus"] = b => Activation(b, ActivationOptions.Softplus());
        table["Softsign"] = b => Activation(b, ActivationOptions.Softsign());
        table["HardSigmoid"] = b => Activation(b, ActivationOptions.HardSigmoid(b.Attributes().Float("alpha", 0.2f), b.Attributes().Float("beta", 0.5f)));
        table["Neg"] = b => Activation(b, ActivationOptions.Neg());
        table["Abs"] = b => Activation(b, ActivationOptions.Abs());
        table["Exp"] = b => Activation(b, ActivationOptions.Exp());
        table["Log"] = b => Activation(b, ActivationOptions.Log());
        table["Sqrt"] = b => Activation(b, ActivationOptions.Sqrt());
        table["Clip"] = Clip;
        table["PRelu"] = PRelu;
        table["Softmax"] = b => Softmax(b, logarithm: false);
        table["LogSoftmax"] = b => Softmax(b, logarithm: true);
    }

    private static void Activation(GraphBuilder b, ActivationOptions options)
    {
        ImportValue input = b.RequireInput(0, "X");
        b.SetOutput(b.Add(new ActivationLayer(b.LayerName(), options), b.NodeOf(input)));
    }

    /// <summary>
    /// Bounds as attributes (before opset 11) or optional inputs. Constant bounds make a Clip activation (an
    /// initializer bound is a setting without gradient); bounds computed at run time become Max / Min layers.
    /// </summary>
    private static void Clip(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "input");
        if (b.Opset < 11)
        {
            NodeAttributes a = b.Attributes();
            Activation(b, ActivationOptions.Clip(a.Float("min", float.NegativeInfinity), a.Float("max", float.PositiveInfinity)));
            return;
        }
        ImportValue? min = b.Input(1), max = b.Input(2);
        if (min is null or ConstantValue && max is null or ConstantValue)
        {
            Activation(b, ActivationOptions.Clip(Bound(b, min as ConstantValue, float.NegativeInfinity), Bound(b, max as ConstantValue, float.PositiveInfinity)));
            return;
        }
        ImportValue result = input;
        if (min is not null) result = ElementwiseConverters.Combine(b, BinaryOperator.Max, result, min, max is null ? null : "min");
        if (max is not null) result = ElementwiseConverters.Combine(b, BinaryOperator.Min, result, max, null);
        b.Alias(result);
    }

    private static float Bound(GraphBuilder b, ConstantValue? bound, float unbounded)
    {
        if (bound is null) return unbounded;
        if (bound.Count != 1) throw b.Error($"a Clip bound must be one value; '{bound.Name}' has {bound.Count}.");
        b.NoteSetting(bound);
        return bound.AsFloats()[0];
    }

    /// <summary>
    /// A constant slope shared by every channel or one per channel (axis 1). Before opset 7 a slope of C values is
    /// per channel; from opset 7 the slope broadcasts NumPy-style, so it must be 1 along every axis but the channels.
    /// </summary>
    private static void PRelu(GraphBuilder b)
    {
        ImportValue input = b.RequireInput(0, "X");
        ConstantValue slope = b.RequireConstant(1, "slope");
        TensorShape x = input.Shape, s = slope.Shape;
        if (x.Rank < 2) throw b.Error($"input {x} needs a channel axis.");
        int channels = x[1];
        bool shared = slope.Count == 1;
        bool perChannel = slope.Count == channels;
        if (!shared && b.Opset >= 7)
        {
            perChannel = s.Rank <= x.Rank - 1;
            for (int d = 1; d <= s.Rank && perChannel; d++)
            {
                int axis = x.Rank - d;   // the input axis this slope axis lines up with
                perChannel = s[s.Rank - d] == (axis == 1 ? channels : 1);
            }
        }
        if (!shared && !perChannel)
            throw b.Error($"slope {s} for input {x}: only a shared slope or one per channel (axis 1) is supported.");
        var layer = new PReluLayer(b.Context, b.LayerName(), slope.Count);
        int node = b.Add(layer, b.NodeOf(input));
        b.BindParameters([layer.Slope], slope, slope.AsFloats(), null, 1f);
        b.SetOutput(node);
    }

    private static void Softmax(GraphBuilder b, bool logarithm)
    {
        ImportValue input = b.RequireInput(0, "input");
        TensorShape shape = input.Shape;
        int rank = shape.Rank;
        int node = b.NodeOf(input);
        if (b.Opset >= 13)
        {
            int axis = b.Axis(b.Attributes().Int("axis", -1), rank);
            b.SetOutput(b.Add(new SoftmaxLayer(b.LayerName(), axis, logarithm), node));
            return;
        }
        // Opset < 13: softmax over the flattened trailing axes [axis, rank) of each leading index.
        int start = b.Axis(b.Attributes().Int("axis", 1), rank);
        int rows = 1;
        for (int d = 0; d < start; d++) rows *= shape[d];
        var matrix = new TensorShape(rows, rows == 0 ? 0 : shape.ElementCount / rows);
        node = b.Reshape(node, matrix, "rows");
        node = b.Add(new SoftmaxLayer(b.LayerName(), 1, logarithm), node);
        b.SetOutput(b.Reshape(node, shape, "unrows"));
    }
}
