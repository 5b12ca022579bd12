using VisionPlugin.Classification;
using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;
using VisionPlugin.Engine.Layers;
using VisionPlugin.Engine.Models;

namespace VisionPlugin.Tests.Plugin;

[Collection("Gpu")]
public sealed class ClassifierTests(GpuFixture gpu)
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    /// <summary>logits = 10 * mean RGB: the colour classifier whose answer is known.</summary>
    private static Model ColorModel(GpuContext ctx, int size = 16)
    {
        var model = new Model(ctx, "colors", new TensorShape(3, size, size));
        model.Add(new GlobalAvgPoolLayer("pool"));
        model.Add(new FlattenLayer("flatten"));
        var fc = new LinearLayer(ctx, "fc", 3, 3);
        fc.Weight.Value.Upload([10, 0, 0, 0, 10, 0, 0, 0, 10]);
        fc.Bias!.Value.Fill(0f);
        model.Add(fc);
        return model;
    }

    private static Frame Solid(int w, int h, byte r, byte g, byte b)
    {
        var px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) { px[3 * i] = b; px[3 * i + 1] = g; px[3 * i + 2] = r; }
        return Frame.Packed(px, w, h, PixelFormat.Bgr24);
    }

    [Fact]
    public void Classifies_frames_of_any_size_with_softmax_top_k()
    {
        gpu.Run(ctx =>
        {
            using var classifier = Classifier.FromModel(ColorModel(ctx), Colors);
            IReadOnlyList<Prediction> top = classifier.Classify(Solid(64, 48, 255, 0, 0), topK: 3);
            Assert.Equal(["red", "green", "blue"], top.Select(p => p.Label)); // green and blue tie: lower index first
            // logits (10, 0, 0): p(red) = e^10 / (e^10 + 2)
            Assert.Equal(Math.Exp(10) / (Math.Exp(10) + 2), top[0].Probability, 4);
            Assert.Equal(1.0, top.Sum(p => p.Probability), 4);
            Assert.Single(classifier.Classify(Solid(5, 7, 0, 0, 255), topK: 1));
            Assert.Equal("blue", classifier.Classify(Solid(5, 7, 0, 0, 255), topK: 1)[0].Label);
        });
    }

    [Fact]
    public void Batch_classification_matches_single_frames()
    {
        gpu.Run(ctx =>
        {
            using var classifier = Classifier.FromModel(ColorModel(ctx), Colors);
            Frame[] frames = [Solid(30, 20, 200, 10, 10), Solid(8, 8, 10, 220, 30), Solid(100, 60, 0, 50, 250)];
            var batch = classifier.ClassifyBatch(frames, topK: 2);
            Assert.Equal(["red", "green", "blue"], batch.Select(r => r[0].Label));
            for (int i = 0; i < frames.Length; i++)
                Assert.Equal(classifier.Classify(frames[i], 2)[0].Probability, batch[i][0].Probability, 5);
        });
    }

    [Fact]
    public void Classifies_a_gl_texture_without_reading_it_back()
    {
        gpu.Run(ctx =>
        {
            using var classifier = Classifier.FromModel(ColorModel(ctx), Colors);
            VisionPlugin.Engine.Binding.GL gl = ctx.GL;
            uint texture = gl.GenTexture();
            try
            {
                var rgba = new byte[40 * 30 * 4];
                for (int i = 0; i < 40 * 30; i++) { rgba[4 * i + 1] = 230; rgba[4 * i + 3] = 255; }
                gl.BindTexture(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, texture);
                gl.TexImage2DRgba8(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, 40, 30, rgba);
                gl.TexParameter(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, VisionPlugin.Engine.Binding.GL.TEXTURE_MIN_FILTER, (int)VisionPlugin.Engine.Binding.GL.NEAREST);
                Prediction top = classifier.ClassifyTexture(texture, 40, 30, topK: 1)[0];
                Assert.Equal("green", top.Label);
                Assert.True(top.Probability > 0.99f, top.ToString());
            }
            finally
            {
                gl.DeleteTexture(texture);
            }
        });
    }

    [Fact]
    public void A_model_whose_output_does_not_match_the_labels_is_refused()
    {
        gpu.Run(ctx =>
        {
            using Model model = ColorModel(ctx);
            var e = Assert.Throws<ArgumentException>(() => Classifier.FromModel(model, ["a", "b"], ownsModel: false));
            Assert.Contains("[1,3]", e.Message);
        });
    }
}
