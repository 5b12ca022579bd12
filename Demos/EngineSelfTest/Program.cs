// A tiny embedding demo: create a headless runtime, run one 3x3 convolution on the GPU, print it.
using VisionPlugin;
using VisionPlugin.Engine;

using var runtime = VisionRuntime.CreateHeadless();
GpuContext gpu = runtime.Context;
Console.WriteLine($"GPU: {runtime.DeviceDescription}");

// A 1x1x4x4 ramp convolved with a 3x3 box filter (padding 1): each output is the sum of its neighbours.
float[] ramp = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
using var input = Tensor.FromData(gpu, new TensorShape(1, 1, 4, 4), ramp);
using var box = Tensor.FromData(gpu, new TensorShape(1, 1, 3, 3), Enumerable.Repeat(1f, 9).ToArray());
using var output = new Tensor(gpu, 1, 1, 4, 4);
Conv2d.Forward(input, box, null, output, Conv2dOptions.Create(padding: 1));
float[] result = output.ToArray();
for (int row = 0; row < 4; row++) Console.WriteLine(string.Join(" ", result.Skip(row * 4).Take(4).Select(v => v.ToString("F0").PadLeft(4))));
