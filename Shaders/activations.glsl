// activations.glsl — the element-wise activations f(x) and their derivatives, one chosen at compile
// time by a define ACTIVATION_<KIND> (the C# enum ActivationKind, upper-cased), e.g. ACTIVATION_ELU.
// Include after common.glsl (RRELU and NOISYRELU use its counter RNG).
//   activation(x, i)             = f(x) for the element with flat index i
//   activation_slope(x, y, i)    = f'(x), given y = f(x) as the forward wrote it
// Randomized kinds key their draws by (act_seed, i): the backward pass recomputes exactly the
// slope or noise the forward pass used. Inference RRelu / NoisyRelu never reach this file: the host
// runs them as LEAKYRELU (alpha = (lower + upper) / 2) and RELU.
// Derivatives at a kink take the value of the left piece for ReLU-like kinks at 0 (f'(0) = slope
// of x < 0, as PyTorch does) and 0 at Clip / ReLU6 / HardSigmoid bounds (gradient 1 strictly inside).

uniform float act_alpha;   // LEAKYRELU negative slope; ELU / SELU alpha; HARDSIGMOID slope
uniform float act_beta;    // HARDSIGMOID offset
uniform float act_scale;   // SELU scale
uniform float act_min;     // CLIP lower bound
uniform float act_max;     // CLIP upper bound
uniform float act_lower;   // RRELU slope range [lower, upper]
uniform float act_upper;
uniform float act_sigma;   // NOISYRELU noise standard deviation
uniform uint act_seed;     // RRELU / NOISYRELU random stream

// sigma(x) = 1 / (1 + e^-x) without overflow: with e = exp(-|x|) <= 1,
// sigma(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.
float stable_sigmoid(float x) {
    float e = exp(-abs(x));
    return (x >= 0.0 ? 1.0 : e) / (1.0 + e);
}

// tanh(x) = sign(x) * (1 - e) / (1 + e) with e = exp(-2|x|) <= 1 (no inf / inf for large |x|).
float stable_tanh(float x) {
    float e = exp(-2.0 * abs(x));
    float t = (1.0 - e) / (1.0 + e);
    return x < 0.0 ? -t : t;
}

#if defined(ACTIVATION_RRELU)
// Per-element negative slope a_i = lower + (upper - lower) * u(seed, i), u uniform in [0,1).
float rrelu_slope(uint i) { return act_lower + (act_upper - act_lower) * random_uniform(act_seed, i); }
#endif

#if defined(ACTIVATION_NOISYRELU)
// Pre-activation with noise: z_i = x + sigma * n_i, n_i standard normal from (seed, i).
float noisy_input(float x, uint i) { return x + act_sigma * random_normal(act_seed, i); }
#endif

float activation(float x, uint i) {
#if defined(ACTIVATION_IDENTITY)
    return x;
#elif defined(ACTIVATION_RELU)
    return x > 0.0 ? x : 0.0;
#elif defined(ACTIVATION_LEAKYRELU)
    return x > 0.0 ? x : act_alpha * x;
#elif defined(ACTIVATION_RRELU)
    return x >= 0.0 ? x : rrelu_slope(i) * x;
#elif defined(ACTIVATION_NOISYRELU)
    float z = noisy_input(x, i);
    return z > 0.0 ? z : 0.0;
#elif defined(ACTIVATION_ELU)
    return x > 0.0 ? x : act_alpha * (exp(x) - 1.0);
#elif defined(ACTIVATION_SELU)
    return act_scale * (x > 0.0 ? x : act_alpha * (exp(x) - 1.0));
#elif defined(ACTIVATION_SIGMOID)
    return stable_sigmoid(x);
#elif defined(ACTIVATION_TANH)
    return stable_tanh(x);
#elif defined(ACTIVATION_SOFTPLUS)
    // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the exponent never overflows.
    return max(x, 0.0) + log(1.0 + exp(-abs(x)));
#elif defined(ACTIVATION_SOFTSIGN)
    return x / (1.0 + abs(x));
#elif defined(ACTIVATION_RELU6)
    return clamp(x, 0.0, 6.0);
#elif defined(ACTIVATION_CLIP)
    return clamp(x, act_min, act_max);
#elif defined(ACTIVATION_HARDSIGMOID)
    return clamp(act_alpha * x + act_beta, 0.0, 1.0);
#elif defined(ACTIVATION_NEG)
    return -x;
#elif defined(ACTIVATION_ABS)
    return abs(x);
#elif defined(ACTIVATION_EXP)
    return exp(x);
#elif defined(ACTIVATION_LOG)
    return log(x);
#elif defined(ACTIVATION_SQRT)
    return sqrt(x);
#else
#error "activations.glsl: define one ACTIVATION_<KIND>"
#endif
}

float activation_slope(float x, float y, uint i) {
#if defined(ACTIVATION_IDENTITY)
    return 1.0;                                             // f = x
#elif defined(ACTIVATION_RELU)
    return x > 0.0 ? 1.0 : 0.0;                             // f = x > 0 ? x : 0
#elif defined(ACTIVATION_LEAKYRELU)
    return x > 0.0 ? 1.0 : act_alpha;                       // f = x > 0 ? x : alpha x
#elif defined(ACTIVATION_RRELU)
    return x > 0.0 ? 1.0 : rrelu_slope(i);                  // f = x >= 0 ? x : a_i x  (same a_i)
#elif defined(ACTIVATION_NOISYRELU)
    return noisy_input(x, i) > 0.0 ? 1.0 : 0.0;             // f = max(0, x + sigma n_i)  (same n_i)
#elif defined(ACTIVATION_ELU)
    return x > 0.0 ? 1.0 : act_alpha * exp(x);              // f = alpha (e^x - 1) for x <= 0
#elif defined(ACTIVATION_SELU)
    return act_scale * (x > 0.0 ? 1.0 : act_alpha * exp(x)); // f = scale alpha (e^x - 1) for x <= 0
#elif defined(ACTIVATION_SIGMOID)
    return y * (1.0 - y);                                   // f = sigma(x): f' = f (1 - f)
#elif defined(ACTIVATION_TANH)
    return 1.0 - y * y;                                     // f = tanh(x): f' = 1 - f^2
#elif defined(ACTIVATION_SOFTPLUS)
    return stable_sigmoid(x);                               // f = log(1 + e^x): f' = 1 / (1 + e^-x)
#elif defined(ACTIVATION_SOFTSIGN)
    float d = 1.0 + abs(x);                                 // f = x / (1 + |x|): f' = 1 / (1 + |x|)^2
    return 1.0 / (d * d);
#elif defined(ACTIVATION_RELU6)
    return (x > 0.0 && x < 6.0) ? 1.0 : 0.0;                // f = clamp(x, 0, 6)
#elif defined(ACTIVATION_CLIP)
    return (x > act_min && x < act_max) ? 1.0 : 0.0;        // f = clamp(x, min, max)
#elif defined(ACTIVATION_HARDSIGMOID)
    float z = act_alpha * x + act_beta;                     // f = clamp(alpha x + beta, 0, 1)
    return (z > 0.0 && z < 1.0) ? act_alpha : 0.0;
#elif defined(ACTIVATION_NEG)
    return -1.0;                                            // f = -x
#elif defined(ACTIVATION_ABS)
    return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0);          // f = |x|: f' = sign(x), 0 at the kink
#elif defined(ACTIVATION_EXP)
    return y;                                               // f = e^x: f' = f
#elif defined(ACTIVATION_LOG)
    return 1.0 / x;                                         // f = ln x: f' = 1/x
#elif defined(ACTIVATION_SQRT)
    return 0.5 / y;                                         // f = sqrt(x): f' = 1 / (2 sqrt(x))
#else
#error "activations.glsl: define one ACTIVATION_<KIND>"
#endif
}
