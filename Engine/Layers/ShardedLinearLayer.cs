using VisionPlugin.Engine.Initializers;

namespace VisionPlugin.Engine.Layers;

/// <summary>
/// A fully connected layer whose weight [out, in] is too large for one GPU buffer (VGG's fc6 is 25088 x 4096 floats,
/// 411 MB, against llvmpipe's 128 MiB storage-block limit): the weight is split by output rows into shards
/// <c>{name}.weight.0</c>, <c>.1</c>, ... of at most <see cref="MaxShardElements"/> elements each, every one its own
/// buffer. Forward y = x W^T + b runs one GEMM per shard into a column block of y and joins the blocks
/// (y = [x W_0^T | x W_1^T | ...] + b); backward splits dy the same way: dW_s += dy_s^T x, dx = sum_s dy_s W_s, db += sum_n dy.
/// Same maths as <see cref="LinearLayer"/>, which it equals for a single shard.
/// </summary>
public sealed class ShardedLinearLayer : UnaryLayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _shardOutputs, _shardGradients;
    private Tensor? _input, _joined;

    /// <param name="maxShardElements">Most weight elements per shard (the driver's storage-block limit / 4).</param>
    /// <exception cref="ArgumentException">One weight row alone exceeds <paramref name="maxShardElements"/>.</exception>
    public ShardedLinearLayer(GpuContext context, string name, int inFeatures, int outFeatures, long maxShardElements, bool bias = true,
        Initializer? weightInit = null, Random? random = null) : base(name)
    {
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear '{name}' needs positive sizes; got in {inFeatures}, out {outFeatures}.");
        if (inFeatures > maxShardElements)
            throw new ArgumentException(
                $"Linear '{name}': one weight row of {inFeatures} floats exceeds the {maxShardElements}-element buffer limit; sharding by rows cannot help.",
                nameof(maxShardElements));
        random ??= new Random(0);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        MaxShardElements = maxShardElements;
        int rowsPerShard = (int)Math.Min(outFeatures, maxShardElements / inFeatures);
        int shardCount = (outFeatures + rowsPerShard - 1) / rowsPerShard;
        WeightShards = Enumerable.Range(0, shardCount).Select(s =>
        {
            int rows = Math.Min(rowsPerShard, outFeatures - s * rowsPerShard);
            var shard = new Parameter(context, $"{name}.weight.{s}", new TensorShape(rows, inFeatures));
            shard.Initialize(weightInit ?? Initializer.HeNormal(), random);
            return shard;
        }).ToArray();
        if (bias) Bias = new Parameter(context, name + ".bias", new TensorShape(outFeatures)) { DecayWeights = false };
        _parameters = Bias is null ? [.. WeightShards] : [.. WeightShards, Bias];
        _shardOutputs = new Tensor?[shardCount];
        _shardGradients = new Tensor?[shardCount];
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public long MaxShardElements { get; }
    /// <summary>Consecutive row blocks of the weight, in order; their row counts add up to <see cref="OutFeatures"/>.</summary>
    public IReadOnlyList<Parameter> WeightShards { get; }
    public Parameter? Bias { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override TensorShape OutputShape(TensorShape input) => Linear.OutputShape(input, new TensorShape(OutFeatures, InFeatures));

    public override Tensor Forward(Tensor input, bool training)
    {
        TensorShape shape = OutputShape(input.Shape);
        Tensor output = OutputTensor(input.Context, shape);
        var blocks = new Tensor[WeightShards.Count];
        for (int s = 0; s < blocks.Length; s++)
        {
            // y_s[N, rows_s] = x[N, in] W_s[rows_s, in]^T
            blocks[s] = Ensure(ref _shardOutputs[s], input.Context, new TensorShape(shape[0], WeightShards[s].Shape[0]));
            Linear.Forward(input, WeightShards[s].Value, null, blocks[s]);
        }
        if (Bias is null)
        {
            Concat.Forward(blocks, output, axis: 1);
        }
        else
        {
            // y = [y_0 | y_1 | ...] + b (b broadcast over the rows)
            Tensor joined = Ensure(ref _joined, input.Context, shape);
            Concat.Forward(blocks, joined, axis: 1);
            Elementwise.Add(joined, Bias.Value, output);
        }
        _input = input;
        return output;
    }

    public override Tensor? Backward(Tensor gradOutput, bool needInputGradient)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{this}: Backward before Forward.");
        TensorShape[] blockShapes = WeightShards.Select(w => new TensorShape(gradOutput.Shape[0], w.Shape[0])).ToArray();
        var blockGradients = new Tensor?[blockShapes.Length];
        for (int s = 0; s < blockShapes.Length; s++)
            blockGradients[s] = Ensure(ref _shardGradients[s], gradOutput.Context, blockShapes[s]);
        // y = [y_0 | y_1 | ...]  =>  dy_s is dy's column block s.
        Concat.Backward(gradOutput, blockShapes, blockGradients, axis: 1);
        for (int s = 0; s < blockShapes.Length; s++)
            if (WeightShards[s].Trainable) Linear.BackwardWeight(input, blockGradients[s]!, WeightShards[s].Gradient);
        if (Bias is { Trainable: true }) Linear.BackwardBias(gradOutput, Bias.Gradient);
        if (!needInputGradient) return null;
        // dx = sum_s dy_s W_s
        Tensor gradInput = GradInputTensor(input.Context, input.Shape);
        for (int s = 0; s < blockShapes.Length; s++)
            Linear.BackwardInput(blockGradients[s]!, WeightShards[s].Value, gradInput, accumulate: s > 0);
        return gradInput;
    }

    public override long MultiplyAdds(TensorShape input) => (long)OutputShape(input)[0] * OutFeatures * InFeatures;

    public override void Dispose()
    {
        foreach (Tensor? t in _shardOutputs) t?.Dispose();
        foreach (Tensor? t in _shardGradients) t?.Dispose();
        Array.Clear(_shardOutputs);
        Array.Clear(_shardGradients);
        _joined?.Dispose();
        _joined = null;
        base.Dispose();
    }
}
