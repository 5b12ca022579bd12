#version 430
// batchnorm_statistics_merge.comp — pass 2 of the batch statistics, one invocation per channel c.
// Merges the slices of batchnorm_statistics.comp (Chan et al.): with A = merged so far, B = next slice,
//   delta = mean_B - mean_A,  mean = mean_A + delta * n_B / (n_A + n_B),
//   m2 = m2_A + m2_B + delta^2 * n_A * n_B / (n_A + n_B).
// Then over M = N * S values:  mean[c];  var = m2 / M (biased, used to normalize);
//   inverseStd[c] = 1 / sqrt(var + eps);
// and, when updateRunning == 1 (PyTorch convention, unbiased variance m2 / (M - 1)):
//   runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean
//   runningVar[c]  = (1 - momentum) * runningVar[c]  + momentum * m2 / (M - 1)
// unless the channel's batch mean or variance is NaN/Inf (a corrupt sample): then its running statistics keep their
// values, so one poisoned batch — whose optimizer step the trainers reject — cannot poison inference for good.
// Bindings: 0 partialMean[splits, C] (read), 1 partialM2[splits, C] (read), 2 mean[C] (write),
//           3 inverseStd[C] (write), 4 runningMean[C] (read-write), 5 runningVar[C] (read-write).
layout(local_size_x = 64) in;
#include "common.glsl"
layout(std430, binding = 0) readonly buffer PartialMean { float partialMean[]; };
layout(std430, binding = 1) readonly buffer PartialM2 { float partialM2[]; };
layout(std430, binding = 2) writeonly buffer Mean { float batchMean[]; };
layout(std430, binding = 3) writeonly buffer InverseStd { float inverseStd[]; };
layout(std430, binding = 4) buffer RunningMean { float runningMean[]; };
layout(std430, binding = 5) buffer RunningVar { float runningVar[]; };

uniform int C, M;                 // channels, values per channel (N * S)
uniform int splits, chunk;
uniform float eps, momentum;
uniform int updateRunning;

void main() {
    int c = int(linear_index());
    if (c >= C) return;
    float count = 0.0, mean = 0.0, m2 = 0.0;
    for (int s = 0; s < splits; s++) {
        float countB = float(min(chunk, M - s * chunk));
        float meanB = partialMean[s * C + c];
        float total = count + countB;
        float delta = meanB - mean;
        mean += delta * (countB / total);
        m2 += partialM2[s * C + c] + delta * delta * (count * countB / total);
        count = total;
    }
    float variance = m2 / float(M);
    batchMean[c] = mean;
    inverseStd[c] = 1.0 / sqrt(variance + eps);
    float unbiased = m2 / float(M - 1);
    bool finiteStatistics = !isnan(mean) && !isinf(mean) && !isnan(unbiased) && !isinf(unbiased);
    if (updateRunning != 0 && finiteStatistics) {
        runningMean[c] = (1.0 - momentum) * runningMean[c] + momentum * mean;
        runningVar[c] = (1.0 - momentum) * runningVar[c] + momentum * unbiased;
    }
}
