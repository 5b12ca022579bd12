using VisionPlugin.Engine;
using VisionPlugin.Engine.Imaging;

namespace VisionPlugin.Tests.Imaging;

/// <summary>GPU frame preprocessing: exact pixels, channel order, stride, crop geometry, area filtering, normalization.</summary>
[Collection("Gpu")]
public sealed class ImagePreprocessingTests(GpuFixture gpu)
{
    private static float[] Run(GpuFixture gpu, byte[] pixels, int w, int h, int stride, PixelFormat format, PreprocessOptions options, int batch = 1, int slot = 0) =>
        gpu.Run(ctx =>
        {
            using var output = new Tensor(ctx, batch, 3, options.Height, options.Width);
            output.Fill(-99f);
            ImagePreprocessing.ToTensor(pixels, w, h, stride, format, output, slot, options);
            return output.ToArray();
        });

    /// <summary>The same sampling on the CPU: half-pixel centres, clamped bilinear, taps x taps footprint average.</summary>
    private static double[] Reference(byte[] px, int w, int h, int stride, PixelFormat format, PreprocessOptions o)
    {
        int bpp = format.BytesPerPixel();
        var (ro, go, bo) = format.ChannelOffsets();
        float cropX = 0, cropY = 0, sw = w, sh = h;
        if (o.CenterCrop)
        {
            float scale = Math.Min((float)w / o.Width, (float)h / o.Height);
            sw = o.Width * scale; sh = o.Height * scale; cropX = (w - sw) / 2; cropY = (h - sh) / 2;
        }
        double sx = sw / o.Width, sy = sh / o.Height;
        int taps = Math.Clamp((int)Math.Ceiling(Math.Max(sx, sy)), 1, 4);
        double Texel(int x, int y, int c)
        {
            x = Math.Clamp(x, 0, w - 1); y = Math.Clamp(y, 0, h - 1);
            return px[y * stride + x * bpp + (c == 0 ? ro : c == 1 ? go : bo)];
        }
        double Bilinear(double x, double y, int c)
        {
            int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
            double ax = x - x0, ay = y - y0;
            double top = Texel(x0, y0, c) * (1 - ax) + Texel(x0 + 1, y0, c) * ax;
            double bottom = Texel(x0, y0 + 1, c) * (1 - ax) + Texel(x0 + 1, y0 + 1, c) * ax;
            return top * (1 - ay) + bottom * ay;
        }
        var mean = new[] { o.Mean.R, o.Mean.G, o.Mean.B };
        var std = new[] { o.Std.R, o.Std.G, o.Std.B };
        var result = new double[3 * o.Height * o.Width];
        for (int c = 0; c < 3; c++)
        for (int oy = 0; oy < o.Height; oy++)
        for (int ox = 0; ox < o.Width; ox++)
        {
            double sum = 0;
            for (int j = 0; j < taps; j++)
            for (int i = 0; i < taps; i++)
                sum += Bilinear(cropX + (ox + (i + 0.5) / taps) * sx - 0.5, cropY + (oy + (j + 0.5) / taps) * sy - 0.5, c);
            result[(c * o.Height + oy) * o.Width + ox] = (sum / (taps * taps) / 255 - mean[c]) / std[c];
        }
        return result;
    }

    [Fact]
    public void Same_size_squash_reproduces_every_pixel_in_rgb_order()
    {
        // 3x2 BGR frame: pixel (x, y) has B = 10x + y, G = 100 + x, R = 200 + y.
        int w = 3, h = 2;
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                px[(y * w + x) * 3 + 0] = (byte)(10 * x + y);
                px[(y * w + x) * 3 + 1] = (byte)(100 + x);
                px[(y * w + x) * 3 + 2] = (byte)(200 + y);
            }
        float[] o = Run(gpu, px, w, h, w * 3, PixelFormat.Bgr24, new PreprocessOptions { Width = 3, Height = 2, CenterCrop = false });
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                Assert.Equal((200 + y) / 255f, o[(0 * h + y) * w + x], 5);
                Assert.Equal((100 + x) / 255f, o[(1 * h + y) * w + x], 5);
                Assert.Equal((10 * x + y) / 255f, o[(2 * h + y) * w + x], 5);
            }
    }

    [Theory]
    [InlineData(PixelFormat.Bgr24, 37, 23, 16, 16, true)]
    [InlineData(PixelFormat.Rgba32, 64, 48, 20, 24, true)]
    [InlineData(PixelFormat.Bgra32, 50, 80, 32, 32, false)]
    [InlineData(PixelFormat.Gray8, 9, 7, 20, 20, true)]
    [InlineData(PixelFormat.Rgb24, 640, 480, 224, 224, true)]
    public void Gpu_matches_the_cpu_reference_with_stride_padding(PixelFormat format, int w, int h, int ow, int oh, bool crop)
    {
        int stride = w * format.BytesPerPixel() + 5; // rows padded with junk bytes
        var random = new Random(w * 31 + h);
        var px = new byte[stride * h];
        random.NextBytes(px);
        var options = new PreprocessOptions { Width = ow, Height = oh, CenterCrop = crop, Mean = (0.4f, 0.5f, 0.6f), Std = (0.2f, 0.25f, 0.3f) };
        float[] actual = Run(gpu, px, w, h, stride, format, options);
        TensorAssert.Close("image_to_nchw", $"{format} {w}x{h} stride {stride} -> {ow}x{oh} crop {crop}", new TensorShape(3, oh, ow),
            Reference(px, w, h, stride, format, options), actual, atol: 2e-4, rtol: 1e-4);
    }

    [Fact]
    public void Center_crop_takes_the_middle_of_a_wide_frame()
    {
        // 8x4 gray frame whose columns are 0,1,...,7 (x 30): a 4x4 crop with no scaling holds columns 2..5.
        var px = new byte[8 * 4];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 8; x++) px[y * 8 + x] = (byte)(30 * x);
        float[] o = Run(gpu, px, 8, 4, 8, PixelFormat.Gray8, new PreprocessOptions { Width = 4, Height = 4 });
        Assert.Equal(new[] { 60f, 90, 120, 150 }.Select(v => v / 255f), o.Take(4), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Shrinking_averages_the_footprint_instead_of_aliasing()
    {
        // A one-pixel checkerboard shrunk 4x must come out mid-grey, not black or white.
        int w = 64, h = 64;
        var px = new byte[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) px[y * w + x] = (byte)(((x + y) & 1) * 255);
        float[] o = Run(gpu, px, w, h, w, PixelFormat.Gray8, new PreprocessOptions { Width = 16, Height = 16 });
        Assert.All(o, v => Assert.InRange(v, 0.4f, 0.6f));
    }

    [Fact]
    public void Writes_only_its_batch_slot()
    {
        var px = new byte[4 * 4 * 3];
        Array.Fill(px, (byte)51);
        float[] o = Run(gpu, px, 4, 4, 12, PixelFormat.Rgb24, new PreprocessOptions { Width = 2, Height = 2 }, batch: 3, slot: 1);
        Assert.All(o.Take(12), v => Assert.Equal(-99f, v));
        Assert.All(o.Skip(12).Take(12), v => Assert.Equal(0.2f, v, 5));
        Assert.All(o.Skip(24), v => Assert.Equal(-99f, v));
    }

    [Fact]
    public void Bad_frames_are_refused_with_the_reason()
    {
        gpu.Run(ctx =>
        {
            using var output = new Tensor(ctx, 1, 3, 8, 8);
            var o = new PreprocessOptions { Width = 8, Height = 8 };
            Assert.Contains("stride", Assert.Throws<ArgumentException>(() => ImagePreprocessing.ToTensor(new byte[100], 10, 3, 20, PixelFormat.Rgb24, output, 0, o)).Message);
            Assert.Contains("needs 90 bytes", Assert.Throws<ArgumentException>(() => ImagePreprocessing.ToTensor(new byte[80], 10, 3, 30, PixelFormat.Rgb24, output, 0, o)).Message);
            Assert.Contains("[1,3,8,8]", Assert.Throws<ArgumentException>(() => ImagePreprocessing.ToTensor(new byte[90], 10, 3, 30, PixelFormat.Rgb24, output, 0, o with { Width = 4 })).Message);
            Assert.Throws<ArgumentException>(() => ImagePreprocessing.ToTensor(new byte[90], 0, 3, 30, PixelFormat.Rgb24, output, 0, o));
        });
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}

/// <summary>Reading a host's GL texture: same tensor as the byte path, rows flipped from GL's bottom-up order.</summary>
[Collection("Gpu")]
public sealed class TexturePreprocessingTests(GpuFixture gpu)
{
    [Fact]
    public void A_texture_gives_the_same_tensor_as_its_pixels_and_restores_the_binding()
    {
        gpu.Run(ctx =>
        {
            int w = 37, h = 29;
            var random = new Random(8);
            var rgba = new byte[w * h * 4];
            random.NextBytes(rgba);
            // GL rows are bottom-up: upload the image flipped so the texture shows it upright.
            var glRows = new byte[rgba.Length];
            for (int y = 0; y < h; y++) Array.Copy(rgba, (h - 1 - y) * w * 4, glRows, y * w * 4, w * 4);
            VisionPlugin.Engine.Binding.GL gl = ctx.GL;
            uint other = gl.GenTexture(), texture = gl.GenTexture();
            gl.BindTexture(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, texture);
            gl.TexImage2DRgba8(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, w, h, glRows);
            // A complete texture (no mipmaps, so a non-mipmap filter), as a render target is.
            gl.TexParameter(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, VisionPlugin.Engine.Binding.GL.TEXTURE_MIN_FILTER, (int)VisionPlugin.Engine.Binding.GL.NEAREST);
            gl.BindTexture(VisionPlugin.Engine.Binding.GL.TEXTURE_2D, other); // the "host's" binding
            try
            {
                var options = new PreprocessOptions { Width = 16, Height = 16, Mean = (0.5f, 0.4f, 0.3f) };
                using var fromBytes = new Tensor(ctx, 1, 3, 16, 16);
                using var fromTexture = new Tensor(ctx, 1, 3, 16, 16);
                ImagePreprocessing.ToTensor(rgba, w, h, w * 4, PixelFormat.Rgba32, fromBytes, 0, options);
                ImagePreprocessing.FromTexture(texture, w, h, fromTexture, 0, options);
                TensorAssert.Close("texture_to_nchw", "37x29 RGBA texture vs its bytes", fromBytes.Shape,
                    fromBytes.ToArray().Select(v => (double)v).ToArray(), fromTexture.ToArray(), atol: 1e-5, rtol: 1e-5);
                Assert.Equal((int)other, gl.GetInteger(VisionPlugin.Engine.Binding.GL.TEXTURE_BINDING_2D));
            }
            finally
            {
                gl.DeleteTexture(texture);
                gl.DeleteTexture(other);
            }
        });
    }
}
