#version 430
// training_metrics_record.comp — adds one training step to the running figures of an epoch, on the GPU,
// so nothing is read back inside a step (one invocation). With accepted = status[2] (grad_norm_scale.comp):
//   accepted:  loss_sum += loss[0] * batch (Kahan-compensated);  correct += hits[0];  seen += batch
//   rejected:  rejected_steps[rejected] = step_number (the first MAX_LISTED only);  rejected += 1
//   steps += 1
// metrics layout (floats; counts are exact below 2^24):
//   0 loss_sum, 1 compensation, 2 correct, 3 seen, 4 rejected, 5 steps, 6.. 6 + MAX_LISTED rejected step numbers
// Bindings: 0 metrics (read-write), 1 loss[1] (read), 2 hits[1] correct predictions (read when has_hits == 1),
//           3 status[3] [scale, norm, accepted] (read).
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer Metrics { float m[]; };
layout(std430, binding = 1) readonly buffer Loss { float loss[]; };
layout(std430, binding = 2) readonly buffer Hits { float hits[]; };
layout(std430, binding = 3) readonly buffer Status { float status[]; };

uniform int batch;
uniform int step_number;
uniform int has_hits;
uniform int max_listed;

void main() {
    if (status[2] != 0.0) {
        precise float y = loss[0] * float(batch) - m[1];
        precise float t = m[0] + y;
        precise float compensation = (t - m[0]) - y;
        m[1] = compensation;
        m[0] = t;
        if (has_hits == 1) m[2] += hits[0];
        m[3] += float(batch);
    } else {
        int rejected = int(m[4]);
        if (rejected < max_listed) m[6 + rejected] = float(step_number);
        m[4] = float(rejected + 1);
    }
    m[5] += 1.0;
}
