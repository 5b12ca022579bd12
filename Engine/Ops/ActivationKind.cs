namespace VisionPlugin.Engine;

/// <summary>
/// The element-wise activations <see cref="Activation"/> runs: y[i] = f(x[i]) with the same shape
/// in and out. Each kind compiles to its own variant of <c>activation_forward.comp</c> /
/// <c>activation_backward.comp</c> (define <c>ACTIVATION_&lt;KIND&gt;</c>, the name upper-cased).
/// Activations with a learnable parameter tensor or a different output shape are separate ops:
/// <see cref="PRelu"/> (per-channel slope), <see cref="CRelu"/> ([N,C,..] -> [N,2C,..]) and
/// <see cref="Maxout"/> ([N,C,..] -> [N,C/k,..]).
/// </summary>
public enum ActivationKind
{
    /// <summary>f(x) = x.</summary>
    Identity,
    /// <summary>f(x) = max(0, x).</summary>
    Relu,
    /// <summary>f(x) = x for x &gt; 0, alpha * x otherwise (alpha 0.01 by default).</summary>
    LeakyRelu,
    /// <summary>
    /// Randomized leaky ReLU. Training: f(x) = x for x &gt;= 0, a_i * x otherwise, with a per-element slope
    /// a_i uniform in [lower, upper] drawn from the counter RNG (seed, flat index i). Inference: a = (lower + upper) / 2.
    /// </summary>
    RRelu,
    /// <summary>
    /// Noisy ReLU. Training: f(x) = max(0, x + sigma * n_i) with n_i ~ N(0,1) from the counter RNG
    /// (seed, flat index i). Inference: plain ReLU.
    /// </summary>
    NoisyRelu,
    /// <summary>f(x) = x for x &gt; 0, alpha * (exp(x) - 1) otherwise (alpha 1 by default).</summary>
    Elu,
    /// <summary>f(x) = scale * (x for x &gt; 0, alpha * (exp(x) - 1) otherwise), alpha 1.6732632, scale 1.0507010.</summary>
    Selu,
    /// <summary>f(x) = 1 / (1 + exp(-x)).</summary>
    Sigmoid,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh,
    /// <summary>f(x) = log(1 + exp(x)), evaluated as max(x, 0) + log(1 + exp(-|x|)).</summary>
    Softplus,
    /// <summary>f(x) = x / (1 + |x|).</summary>
    Softsign,
    /// <summary>f(x) = min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>f(x) = min(max(x, min), max); gradient 1 strictly inside (min, max), 0 outside.</summary>
    Clip,
    /// <summary>f(x) = max(0, min(1, alpha * x + beta)), ONNX defaults alpha 0.2, beta 0.5.</summary>
    HardSigmoid,
    /// <summary>f(x) = -x (ONNX Neg).</summary>
    Neg,
    /// <summary>f(x) = |x| (ONNX Abs); f'(0) = 0.</summary>
    Abs,
    /// <summary>f(x) = e^x (ONNX Exp).</summary>
    Exp,
    /// <summary>f(x) = ln x (ONNX Log); NaN for x &lt; 0, -inf at 0.</summary>
    Log,
    /// <summary>f(x) = sqrt(x) (ONNX Sqrt); NaN for x &lt; 0.</summary>
    Sqrt,
}
