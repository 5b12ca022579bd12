using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Engine.Training;

/// <summary>Agreement between back-propagation and central differences for one tensor.</summary>
/// <param name="Checked">Elements compared.</param>
/// <param name="AtKinks">Sampled elements skipped because the loss is not smooth there (the difference quotients at h and h/2 disagree: a ReLU or max-pool switch inside the step).</param>
public sealed record GradientCheckResult(
    string Name, TensorShape Shape, int Checked, int AtKinks, double MaxRelativeError, double MaxAbsoluteError, int WorstIndex,
    double AnalyticAtWorst, double NumericAtWorst);

/// <summary>
/// A numerical gradient check through a whole model on the GPU. The scalar is
/// L = sum_i y_i * g_i for the model's output y and a fixed random g, so dL/dy = g. Back-propagation
/// gives dL/dtheta for every parameter (and the input); each checked element is compared with
/// (L(theta + h) - L(theta - h)) / 2h from two more GPU forward passes, L summed in double.
/// The forward runs in float32, so L carries rounding noise of about eps * sum|y_i g_i|, which the
/// quotient divides by h: relative error = |a - n| / (max(|a|, |n|) + 40 eps sum|y g| / h) keeps
/// near-zero gradients from reporting pure noise. Elements where the loss is not smooth inside the
/// step (the quotients at h and h/2 disagree by more than 10 %) are counted as kinks, not errors.
/// Smooth activations (ELU, tanh) and h ~ 1e-2 give the cleanest check. Randomized layers
/// (dropout, RReLU) must be absent or frozen: each forward would draw anew.
/// </summary>
public static class GradientCheck
{
    public static IReadOnlyList<GradientCheckResult> Run(Model model, Tensor input, int samplesPerTensor = 24, float step = 1e-2f,
        int seed = 0, bool checkInput = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerTensor, 1);
        if (!(step > 0)) throw new ArgumentOutOfRangeException(nameof(step), step, "Step must be positive.");
        var random = new Random(seed);
        Tensor output = model.Forward(input, training: true);
        TensorShape outShape = output.Shape;
        var g = new double[outShape.ElementCount];
        for (int i = 0; i < g.Length; i++) g[i] = random.NextDouble() * 2 - 1;
        using var gradOutput = Tensor.FromData(model.Context, outShape, Array.ConvertAll(g, v => (float)v));
        model.ZeroGradients();
        IReadOnlyList<Tensor?> inputGrads = model.Backward([gradOutput], inputGradients: checkInput);

        var targets = new List<(string Name, Tensor Value, float[] Analytic)>();
        if (checkInput && inputGrads[0] is { } dx) targets.Add(("input", input, dx.ToArray()));
        foreach (Parameter p in model.Parameters.Where(p => p.Trainable)) targets.Add((p.Name, p.Value, p.Gradient.ToArray()));

        double magnitude = 0;
        double Loss()
        {
            float[] y = model.Forward(input, training: true).ToArray();
            double sum = 0;
            magnitude = 0;
            for (int i = 0; i < y.Length; i++)
            {
                sum += y[i] * g[i];
                magnitude += Math.Abs(y[i] * g[i]);
            }
            return sum;
        }
        Loss();
        // float32 rounding of L (a few ulps of sum|y g| after a deep forward), seen through the quotient.
        double noise = 40 * 1.2e-7 * magnitude / step;

        var results = new List<GradientCheckResult>();
        foreach (var (name, tensor, analytic) in targets)
        {
            float[] values = tensor.ToArray();
            int[] indices = values.Length <= samplesPerTensor
                ? Enumerable.Range(0, values.Length).ToArray()
                : Enumerable.Range(0, samplesPerTensor).Select(_ => random.Next(values.Length)).Distinct().ToArray();
            double maxRelative = 0, maxAbsolute = 0, worstA = 0, worstN = 0;
            int worst = -1, kinks = 0, compared = 0;
            foreach (int index in indices)
            {
                double numeric = Quotient(tensor, values, index, step, Loss);
                double half = Quotient(tensor, values, index, step / 2, Loss);
                if (Math.Abs(numeric - half) > 0.1 * Math.Max(Math.Abs(numeric), Math.Abs(half)) + 2 * noise)
                {
                    kinks++;
                    continue;
                }
                compared++;
                double a = analytic[index];
                double absolute = Math.Abs(a - numeric);
                double relative = absolute / (Math.Max(Math.Abs(a), Math.Abs(numeric)) + noise);
                if (relative > maxRelative || worst < 0)
                {
                    maxRelative = relative;
                    worst = index;
                    worstA = a;
                    worstN = numeric;
                }
                maxAbsolute = Math.Max(maxAbsolute, absolute);
            }
            tensor.Upload(values);
            results.Add(new GradientCheckResult(name, tensor.Shape, compared, kinks, maxRelative, maxAbsolute, worst, worstA, worstN));
        }
        return results;
    }

    /// <summary>(L(v + h e_i) - L(v - h e_i)) / (effective 2h); restores element i afterwards (on the CPU copy).</summary>
    private static double Quotient(Tensor tensor, float[] values, int index, float step, Func<double> loss)
    {
        float saved = values[index];
        values[index] = saved + step;
        tensor.Upload(values);
        double plus = loss();
        values[index] = saved - step;
        tensor.Upload(values);
        double minus = loss();
        values[index] = saved;
        // The effective step is what float arithmetic actually applied.
        return (plus - minus) / ((double)(saved + step) - (saved - step));
    }
}
