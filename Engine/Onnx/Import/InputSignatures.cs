namespace VisionPlugin.Engine.Onnx.Import;

/// <summary>A graph input or output as imported: its name, element type and concrete shape (batch axis first).</summary>
public sealed record ImportedTensorInfo(string Name, OnnxDataType ElementType, TensorShape Shape)
{
    /// <summary>"x FLOAT [1,3,224,224]".</summary>
    public override string ToString() => $"{Name} {ElementType.ProtoName()} {Shape}";
}

/// <summary>
/// Fixes the shapes of a graph's data inputs: a dimension the graph declares is kept; an unknown or symbolic one
/// takes the size given for that input, else 1. A given shape must have the declared rank and agree with every
/// declared dimension.
/// </summary>
internal static class InputSignatures
{
    public static ImportedTensorInfo[] Resolve(OnnxGraph graph, IReadOnlyDictionary<string, int[]>? given)
    {
        OnnxValueInfo[] inputs = graph.DataInputs().ToArray();
        if (given is not null)
            foreach (string name in given.Keys)
                if (inputs.All(i => i.Name != name))
                    throw new OnnxImportException(
                        $"A shape was given for input '{name}', which is not a data input of the graph (its inputs: {string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}).");
        return inputs.Select(input => Resolve(input, given is not null && given.TryGetValue(input.Name, out int[]? shape) ? shape : null)).ToArray();
    }

    private static ImportedTensorInfo Resolve(OnnxValueInfo input, int[]? given)
    {
        if (input.ElementType is OnnxDataType.String or OnnxDataType.Complex64 or OnnxDataType.Complex128 || input.ElementType >= OnnxDataType.Float8E4M3FN)
            throw new OnnxImportException($"Graph input '{input.Name}' is {input.ElementType.ProtoName()}; the engine takes numeric tensors only.");
        if (input.Shape is not { } declared)
        {
            if (given is null) throw new OnnxImportException($"Graph input '{input.Name}' declares no shape; give its shape when loading.");
            return new ImportedTensorInfo(input.Name, input.ElementType, ToShape(given.Select(d => (long)d).ToArray(), $"input '{input.Name}'"));
        }
        if (given is not null && given.Length != declared.Count)
            throw new OnnxImportException(
                $"Graph input '{input.Name}' has rank {declared.Count} ([{string.Join(",", declared)}]); the given shape [{string.Join(",", given)}] has rank {given.Length}.");
        var dims = new long[declared.Count];
        for (int d = 0; d < dims.Length; d++)
        {
            long? known = declared[d].Value;
            if (known is { } size && given is not null && given[d] != size)
                throw new OnnxImportException(
                    $"Graph input '{input.Name}' has shape [{string.Join(",", declared)}]; the given shape [{string.Join(",", given)}] differs at axis {d}.");
            dims[d] = known ?? given?[d] ?? 1;
        }
        return new ImportedTensorInfo(input.Name, input.ElementType, ToShape(dims, $"input '{input.Name}'"));
    }

    /// <summary>ONNX dims as a <see cref="TensorShape"/>; negative sizes and more than 2^31 elements are refused.</summary>
    public static TensorShape ToShape(long[] dims, string what)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new OnnxImportException($"{what} has a negative dimension in [{string.Join(",", dims)}].");
            if (d > int.MaxValue) throw new OnnxImportException($"{what} shape [{string.Join(",", dims)}] has a dimension over 2^31.");
            count *= d;   // both factors < 2^31: no overflow
            if (count > int.MaxValue) throw new OnnxImportException($"{what} shape [{string.Join(",", dims)}] has more than 2^31 elements.");
        }
        return new TensorShape(dims.Select(d => (int)d).ToArray());
    }
}
