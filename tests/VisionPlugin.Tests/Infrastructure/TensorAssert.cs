using VisionPlugin.Engine;
using Xunit.Sdk;

namespace VisionPlugin.Tests;

/// <summary>
/// Element-wise comparison whose failure names the op, its parameters, the shape, the first bad
/// index (flat and per axis), the expected and the actual value, and how many elements differ.
/// </summary>
public static class TensorAssert
{
    /// <summary>Passes when |actual - expected| &lt;= atol + rtol * |expected| for every element.</summary>
    public static void Close(string op, string parameters, TensorShape shape, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual,
        double atol = 1e-4, double rtol = 1e-3)
    {
        var widened = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++) widened[i] = actual[i];
        Close(op, parameters, shape, expected, widened, atol, rtol);
    }

    public static void Close(string op, string parameters, TensorShape shape, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual,
        double atol = 1e-4, double rtol = 1e-3)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{op} ({parameters}) shape {shape}: expected {expected.Length} values, got {actual.Length}.");
        int bad = 0, first = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : a == e || Math.Abs(a - e) <= atol + rtol * Math.Abs(e);   // a == e: equal infinities
            if (ok) continue;
            bad++;
            if (first < 0) first = i;
        }
        if (bad == 0) return;
        throw new XunitException(
            $"{op} ({parameters}) shape {shape}: first mismatch at flat index {first} {MultiIndex(shape, first)}: " +
            $"expected {expected[first]:G9}, actual {actual[first]:G9} (|diff| {Math.Abs(actual[first] - expected[first]):G3}, " +
            $"atol {atol:G2}, rtol {rtol:G2}); {bad} of {expected.Length} elements differ.");
    }

    /// <summary>"[n,c,h,w]" for a flat index of <paramref name="shape"/>.</summary>
    public static string MultiIndex(TensorShape shape, int flat)
    {
        if (shape.Rank == 0 || flat < 0) return "[]";
        var index = new int[shape.Rank];
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            int d = Math.Max(1, shape[axis]);
            index[axis] = flat % d;
            flat /= d;
        }
        return "[" + string.Join(",", index) + "]";
    }
}
