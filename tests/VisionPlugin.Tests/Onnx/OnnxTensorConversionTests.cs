using VisionPlugin.Engine.Onnx;

namespace VisionPlugin.Tests.Onnx;

/// <summary>ToFloatArray / ToInt64Array give the same numbers whatever field stores them.</summary>
public sealed class OnnxTensorConversionTests
{
    [Theory]
    [InlineData("float raw", new float[] { 1f, -2.5f, 3.25f, float.NaN, float.PositiveInfinity, -0f })]
    [InlineData("float typed", new float[] { 0.1f, 0.2f, -7f, 1e-30f })]
    [InlineData("float16 raw", new float[] { 1f, -2f, 65504f })]
    [InlineData("float16 typed", new float[] { 1f, -2f, 65504f })]
    [InlineData("bfloat16 typed", new float[] { 1f, -3f })]
    [InlineData("double raw", new float[] { 1.5f, -4f })]
    [InlineData("double typed", new float[] { 1.5f, -4f })]
    [InlineData("int64 typed", new float[] { 1f, -1f, long.MinValue, 7f })]
    [InlineData("int32 typed", new float[] { int.MinValue, -1f, 5f })]
    [InlineData("int8 raw", new float[] { -128f, -1f, 5f })]
    [InlineData("uint8 typed", new float[] { 0f, 255f })]
    [InlineData("bool raw", new float[] { 1f, 0f, 1f })]
    [InlineData("uint64 typed", new float[] { 0f, 12345678901234f })]
    [InlineData("scalar", new float[] { 42f })]
    [InlineData("empty", new float[0])]
    public void Floats_come_out_of_every_storage(string kind, float[] expected) =>
        Assert.Equal(expected, OnnxRoundTripTests.MakeTensor(kind).ToFloatArray());

    [Theory]
    [InlineData("int64 raw", new long[] { -1, long.MaxValue })]
    [InlineData("int64 typed", new long[] { 1, -1, long.MinValue, 7 })]
    [InlineData("int32 typed", new long[] { int.MinValue, -1, 5 })]
    [InlineData("int8 raw", new long[] { -128, -1, 5 })]
    [InlineData("uint8 typed", new long[] { 0, 255 })]
    [InlineData("bool raw", new long[] { 1, 0, 1 })]
    [InlineData("uint64 typed", new long[] { 0, 12345678901234 })]
    public void Integers_come_out_of_every_storage(string kind, long[] expected) =>
        Assert.Equal(expected, OnnxRoundTripTests.MakeTensor(kind).ToInt64Array());

    [Fact]
    public void Float16_bit_patterns_decode_as_ieee_half()
    {
        // 0x3555 ~ 0.333, 0x0001 the smallest subnormal, 0x7C00 +inf, 0xFC00 -inf.
        var tensor = new OnnxTensor { Name = "h", DataType = OnnxDataType.Float16, Dims = [4], RawData = [0x55, 0x35, 0x01, 0x00, 0x00, 0x7C, 0x00, 0xFC] };
        float[] values = tensor.ToFloatArray();
        Assert.Equal(0.33325195f, values[0]);
        Assert.Equal(5.9604645e-8f, values[1]);
        Assert.Equal(float.PositiveInfinity, values[2]);
        Assert.Equal(float.NegativeInfinity, values[3]);
    }

    [Fact]
    public void Conversions_without_a_numeric_meaning_are_refused_by_name()
    {
        var strings = OnnxRoundTripTests.MakeTensor("string");
        Assert.Contains("tensor 'labels' STRING [2]: STRING elements cannot be converted to float",
            Assert.Throws<OnnxFormatException>(() => strings.ToFloatArray()).Message);
        Assert.Contains("FLOAT is not an integer type", Assert.Throws<OnnxFormatException>(() => OnnxRoundTripTests.MakeTensor("float raw").ToInt64Array()).Message);
        var huge = new OnnxTensor { Name = "u", DataType = OnnxDataType.UInt64, Dims = [1], UInt64Data = [ulong.MaxValue] };
        Assert.Contains("does not fit in int64", Assert.Throws<OnnxFormatException>(() => huge.ToInt64Array()).Message);
        var complex = new OnnxTensor { Name = "c", DataType = OnnxDataType.Complex64, Dims = [1], FloatData = [1f, 2f] };
        Assert.Throws<OnnxFormatException>(() => complex.ToFloatArray());
    }

    [Fact]
    public void Storage_that_does_not_match_the_dims_is_reported_on_conversion()
    {
        var shortRaw = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [2, 3], RawData = [1, 2, 3, 4] };
        Assert.Contains("has 4 bytes of raw_data; 6 elements need 24", Assert.Throws<OnnxFormatException>(() => shortRaw.ToFloatArray()).Message);
        var wrongField = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [1], Int64Data = [1] };
        Assert.Contains("has values in int64_data, but FLOAT data belongs in float_data", Assert.Throws<OnnxFormatException>(() => wrongField.ToFloatArray()).Message);
        var both = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [1], FloatData = [1f], RawData = [0, 0, 0, 0] };
        Assert.Contains("both raw_data and float_data", Assert.Throws<OnnxFormatException>(() => both.ToFloatArray()).Message);
        var none = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [3] };
        Assert.Contains("has no data (3 elements expected)", Assert.Throws<OnnxFormatException>(() => none.ToFloatArray()).Message);
        var negative = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [-1] };
        Assert.Contains("negative dimension", Assert.Throws<OnnxFormatException>(() => negative.ElementCount).Message);
    }

    [Fact]
    public void Value_arrays_compare_by_content()
    {
        ValueArray<long> a = [1, 2, 3];
        ValueArray<long> b = ValueArray.From(new List<long> { 1, 2, 3 });
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, [1, 2]);
        Assert.Equal(default(ValueArray<long>), ValueArray<long>.Empty);
        Assert.Equal(default, ValueArray.Create<long>([]));
        Assert.Equal("[1,2,3]", a.ToString());
        long[] source = [5, 6];
        ValueArray<long> copy = ValueArray.Create<long>(source);
        source[0] = 99;
        Assert.Equal(5, copy[0]); // building copies; the caller's array may change
    }
}
