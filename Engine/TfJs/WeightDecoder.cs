using System.Buffers.Binary;

namespace VisionPlugin.Engine.TfJs;

/// <summary>
/// Turns a weight's stored bytes into float32 values, as TensorFlow.js does when it loads them: float32 as is;
/// float16 widened exactly; uint8/uint16 dequantized per tensor as <c>value = min + scale * q</c>, evaluated in
/// double precision and rounded once to float32 (JavaScript's arithmetic stored into a Float32Array), so the
/// imported weights are bit-identical to the ones tfjs computes with.
/// </summary>
internal static class WeightDecoder
{
    /// <param name="bytes">Exactly <see cref="WeightSpec.ByteCount"/> bytes, little-endian.</param>
    public static float[] Decode(WeightSpec spec, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != spec.ByteCount)
            throw new ArgumentException($"Weight '{spec.Name}' needs {spec.ByteCount} bytes; got {bytes.Length}.", nameof(bytes));
        var values = new float[spec.ElementCount];
        switch (spec.Storage)
        {
            case WeightStorage.Float32:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case WeightStorage.Float16:
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case WeightStorage.Uint8:
                for (int i = 0; i < values.Length; i++) values[i] = (float)(spec.Min + spec.Scale * bytes[i]);
                break;
            case WeightStorage.Uint16:
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)(spec.Min + spec.Scale * BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), $"Unknown weight storage {spec.Storage}.");
        }
        return values;
    }
}
