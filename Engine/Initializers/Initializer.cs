namespace VisionPlugin.Engine.Initializers;

/// <summary>
/// How a weight tensor starts. Values are drawn on the CPU from a seeded <see cref="Random"/> (so a
/// model built with the same seed is identical everywhere) and uploaded once.
/// Fans: a conv weight [K, C/groups, KH, KW] has fanIn = C/groups*KH*KW and fanOut = K*KH*KW;
/// a linear weight [out, in] has fanIn = in and fanOut = out.
/// </summary>
public abstract record Initializer
{
    /// <summary>Fills <paramref name="values"/> (a tensor of <paramref name="shape"/>).</summary>
    public abstract void Fill(Span<float> values, TensorShape shape, Random random);

    /// <summary>Draws the values for <paramref name="tensor"/> and uploads them.</summary>
    public void Initialize(Tensor tensor, Random random)
    {
        var values = new float[tensor.ElementCount];
        Fill(values, tensor.Shape, random);
        tensor.Upload(values);
    }

    /// <summary>(fanIn, fanOut) of a weight shape as defined above; a 1-D shape has fanIn = fanOut = its length.</summary>
    public static (int FanIn, int FanOut) Fans(TensorShape shape)
    {
        if (shape.Rank < 2) return (Math.Max(1, shape.ElementCount), Math.Max(1, shape.ElementCount));
        int receptive = 1;
        for (int axis = 2; axis < shape.Rank; axis++) receptive *= shape[axis];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    protected static double StandardNormal(Random random)
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    protected static void FillNormal(Span<float> values, double std, Random random)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(std * StandardNormal(random));
    }

    protected static void FillUniform(Span<float> values, double limit, Random random)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * limit);
    }

    /// <summary>Xavier/Glorot normal: std = gain * sqrt(2 / (fanIn + fanOut)).</summary>
    public static Initializer XavierNormal(double gain = 1) => new XavierNormalInitializer(gain);
    /// <summary>Xavier/Glorot uniform: limit = gain * sqrt(6 / (fanIn + fanOut)).</summary>
    public static Initializer XavierUniform(double gain = 1) => new XavierUniformInitializer(gain);
    /// <summary>He/Kaiming normal (fan-in mode, ReLU): std = sqrt(2 / fanIn).</summary>
    public static Initializer HeNormal() => new HeNormalInitializer();
    /// <summary>He/Kaiming uniform (fan-in mode, ReLU): limit = sqrt(6 / fanIn).</summary>
    public static Initializer HeUniform() => new HeUniformInitializer();
    /// <summary>LeCun normal (for SELU): std = sqrt(1 / fanIn).</summary>
    public static Initializer LeCunNormal() => new LeCunNormalInitializer();
    /// <summary>All zeros (biases).</summary>
    public static Initializer Zeros() => new ConstantInitializer(0);
    /// <summary>Every element equal to <paramref name="value"/> (BatchNorm scale = 1).</summary>
    public static Initializer Constant(float value) => new ConstantInitializer(value);
}

internal sealed record XavierNormalInitializer(double Gain) : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random)
    {
        var (fanIn, fanOut) = Fans(shape);
        FillNormal(values, Gain * Math.Sqrt(2.0 / (fanIn + fanOut)), random);
    }
}

internal sealed record XavierUniformInitializer(double Gain) : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random)
    {
        var (fanIn, fanOut) = Fans(shape);
        FillUniform(values, Gain * Math.Sqrt(6.0 / (fanIn + fanOut)), random);
    }
}

internal sealed record HeNormalInitializer : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random) =>
        FillNormal(values, Math.Sqrt(2.0 / Fans(shape).FanIn), random);
}

internal sealed record HeUniformInitializer : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random) =>
        FillUniform(values, Math.Sqrt(6.0 / Fans(shape).FanIn), random);
}

internal sealed record LeCunNormalInitializer : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random) =>
        FillNormal(values, Math.Sqrt(1.0 / Fans(shape).FanIn), random);
}

internal sealed record ConstantInitializer(float Value) : Initializer
{
    public override void Fill(Span<float> values, TensorShape shape, Random random) => values.Fill(Value);
}
