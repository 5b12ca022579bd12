namespace VisionPlugin.Engine;

/// <summary>
/// Runs an <see cref="IndexMap"/> on the GPU (<c>index_gather_forward.comp</c> / <c>index_gather_backward.comp</c>):
/// y[i] = x[index[i]] forward; backward, every input element sums the output gradients that read it, through the
/// map's inverse (compressed rows), so a tile or broadcast needs no atomics. <see cref="Tables"/> holds the uploaded
/// index tables; whoever creates it owns it.
/// </summary>
public static class IndexGather
{
    /// <summary>The index table and its inverse on the GPU. Owns its three buffers.</summary>
    public sealed class Tables : IDisposable
    {
        /// <summary>Uploads <paramref name="map"/> and its inverse.</summary>
        public Tables(GpuContext context, IndexMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            Map = map;
            var (offsets, readers) = map.Inverse();
            Index = Upload(context, map.Index);
            Offsets = Upload(context, offsets);
            Readers = Upload(context, readers);
        }

        public IndexMap Map { get; }
        public GpuBuffer Index { get; }
        public GpuBuffer Offsets { get; }
        public GpuBuffer Readers { get; }

        private static GpuBuffer Upload(GpuContext context, ReadOnlySpan<int> values)
        {
            var buffer = new GpuBuffer(context, values.Length);
            if (values.Length > 0) buffer.Upload(values);
            return buffer;
        }

        public void Dispose()
        {
            Index.Dispose();
            Offsets.Dispose();
            Readers.Dispose();
        }
    }

    /// <summary>output[i] = input[index[i]] (0 for index -1).</summary>
    public static void Forward(Tensor input, Tensor output, Tables tables)
    {
        Require("input", input.Shape, tables.Map.Input);
        Require("output", output.Shape, tables.Map.Output);
        if (output.ElementCount == 0) return;
        output.Context.Programs.Get("index_gather_forward.comp")
            .Set("count", output.ElementCount)
            .Bind(0, input).Bind(1, tables.Index).Bind(2, output)
            .DispatchLinear(output.ElementCount);
    }

    /// <summary>gradInput[j] (+)= sum of gradOutput[i] over the i with index[i] = j.</summary>
    /// <param name="accumulate">Add to <paramref name="gradInput"/> instead of overwriting it.</param>
    public static void Backward(Tensor gradOutput, Tensor gradInput, Tables tables, bool accumulate = false)
    {
        Require("gradOutput", gradOutput.Shape, tables.Map.Output);
        Require("gradInput", gradInput.Shape, tables.Map.Input);
        if (gradInput.ElementCount == 0) return;
        gradInput.Context.Programs.Get("index_gather_backward.comp")
            .Set("inputCount", gradInput.ElementCount).Set("beta", accumulate ? 1f : 0f)
            .Bind(0, gradOutput).Bind(1, tables.Offsets).Bind(2, tables.Readers).Bind(3, gradInput)
            .DispatchLinear(gradInput.ElementCount);
    }

    private static void Require(string name, TensorShape actual, TensorShape expected)
    {
        if (actual != expected)
            throw new ArgumentException($"IndexGather {name} must be {expected}; got {actual}.", name);
    }
}
