namespace VisionPlugin.Engine.Imaging;

/// <summary>How a frame becomes the network's input. Immutable.</summary>
public sealed record PreprocessOptions
{
    /// <summary>Network input height and width.</summary>
    public int Height { get; init; } = 224;
    public int Width { get; init; } = 224;
    /// <summary>Scale the shorter side to fit, then cut the centre (true); or stretch the whole frame (false).</summary>
    public bool CenterCrop { get; init; } = true;
    /// <summary>Per-channel (RGB) mean and standard deviation applied after scaling bytes to [0,1]; (0,1) keeps [0,1].</summary>
    public (float R, float G, float B) Mean { get; init; } = (0f, 0f, 0f);
    public (float R, float G, float B) Std { get; init; } = (1f, 1f, 1f);

    /// <summary>ImageNet statistics (torchvision models).</summary>
    public static PreprocessOptions ImageNet(int size = 224) => new()
    {
        Height = size, Width = size, Mean = (0.485f, 0.456f, 0.406f), Std = (0.229f, 0.224f, 0.225f),
    };
}

/// <summary>
/// Frame preprocessing on the GPU (<c>image_to_nchw.comp</c>): the frame's bytes are uploaded as they
/// are (any row stride), and one dispatch resizes (a one-channel output gets BT.601 luminance) (bilinear with half-pixel centres, area-averaged when
/// shrinking), crops or squashes, reorders channels to RGB and normalizes into one slot of an NCHW batch.
/// </summary>
public static class ImagePreprocessing
{
    /// <summary>
    /// Writes <paramref name="pixels"/> (height rows of <paramref name="rowStride"/> bytes) into batch slot
    /// <paramref name="batchIndex"/> of <paramref name="output"/> [N, 3, options.Height, options.Width].
    /// </summary>
    /// <exception cref="ArgumentException">Sizes, stride or buffer length do not fit; the message says which.</exception>
    public static void ToTensor(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format,
        Tensor output, int batchIndex, PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        int bpp = format.BytesPerPixel();
        if (width < 1 || height < 1) throw new ArgumentException($"Frame size must be positive; got {width}x{height}.", nameof(width));
        if (rowStride < width * bpp) throw new ArgumentException($"Row stride {rowStride} is shorter than {width} {format} pixels ({width * bpp} bytes).", nameof(rowStride));
        long needed = (long)rowStride * (height - 1) + (long)width * bpp;
        if (pixels.Length < needed) throw new ArgumentException($"A {width}x{height} {format} frame with stride {rowStride} needs {needed} bytes; got {pixels.Length}.", nameof(pixels));
        RequireOutput(output, batchIndex, options);

        GpuContext context = output.Context;
        int words = (int)((needed + 3) / 4);
        GpuBuffer staging = context.Scratch("image_to_nchw.pixels", words);
        staging.Upload(pixels[..(int)needed]); // the shader never reads past the last pixel's bytes

        var (r, g, b) = format.ChannelOffsets();
        Setup(context.Programs.Get("image_to_nchw.comp"), width, height, options, batchIndex, output.Shape.C)
            .Set("rowStride", rowStride).Set("bytesPerPixel", bpp)
            .Set("redOffset", r).Set("greenOffset", g).Set("blueOffset", b)
            .Bind(0, staging).Bind(1, output)
            .DispatchLinear((long)options.Height * options.Width);
    }

    private static readonly Dictionary<string, string> TextureVariant = new() { ["TEXTURE_SOURCE"] = "1" };

    /// <summary>
    /// Like <see cref="ToTensor"/> for a GL texture the host rendered (RGBA, any internal format the GPU can
    /// sample), read on texture unit 0 without copying it to the CPU. GL stores rows bottom-up, so by default the
    /// texture's last row becomes the image's first. The host's texture-unit state is restored afterwards.
    /// The texture must be complete (a render target with a non-mipmap filter, or a full mipmap chain): GL reads
    /// an incomplete texture as black.
    /// </summary>
    public static void FromTexture(uint texture, int width, int height, Tensor output, int batchIndex, PreprocessOptions options, bool flipVertically = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        if (texture == 0) throw new ArgumentException("Texture 0 is not a texture.", nameof(texture));
        if (width < 1 || height < 1) throw new ArgumentException($"Texture size must be positive; got {width}x{height}.", nameof(width));
        RequireOutput(output, batchIndex, options);
        GpuContext context = output.Context;
        context.VerifyAccess();
        Binding.GL gl = context.GL;
        int previousUnit = gl.GetInteger(Binding.GL.ACTIVE_TEXTURE);
        gl.ActiveTexture(Binding.GL.TEXTURE0);
        int previousTexture = gl.GetInteger(Binding.GL.TEXTURE_BINDING_2D);
        gl.BindTexture(Binding.GL.TEXTURE_2D, texture);
        try
        {
            Setup(context.Programs.Get("image_to_nchw.comp", TextureVariant), width, height, options, batchIndex, output.Shape.C)
                .Set("flipY", flipVertically ? 1 : 0)
                .Bind(1, output)
                .DispatchLinear((long)options.Height * options.Width);
            context.CheckError($"reading texture {texture}");
        }
        finally
        {
            gl.BindTexture(Binding.GL.TEXTURE_2D, (uint)previousTexture);
            gl.ActiveTexture((uint)previousUnit);
        }
    }

    private static void RequireOutput(Tensor output, int batchIndex, PreprocessOptions options)
    {
        int channels = output.Shape.Rank == 4 && output.Shape.C == 1 ? 1 : 3;
        var expected = new TensorShape(output.Shape.Rank == 4 ? output.Shape.N : 0, channels, options.Height, options.Width);
        if (output.Shape != expected || batchIndex < 0 || batchIndex >= output.Shape.N)
            throw new ArgumentException($"Output must be [N,3,{options.Height},{options.Width}] (or one grey channel) with batch index in [0,N); got {output.Shape}, index {batchIndex}.", nameof(output));
    }

    /// <summary>The geometry and normalization uniforms shared by both sources.</summary>
    private static ComputeProgram Setup(ComputeProgram program, int width, int height, PreprocessOptions options, int batchIndex, int outChannels)
    {
        // Source rectangle: the whole frame (squash) or the centred region with the output's aspect ratio.
        float cropX = 0, cropY = 0, sourceW = width, sourceH = height;
        if (options.CenterCrop)
        {
            float scale = Math.Min((float)width / options.Width, (float)height / options.Height);
            sourceW = options.Width * scale;
            sourceH = options.Height * scale;
            cropX = (width - sourceW) / 2;
            cropY = (height - sourceH) / 2;
        }
        float scaleX = sourceW / options.Width, scaleY = sourceH / options.Height;
        // Enough samples per axis that neighbours are at most ~1 source pixel apart (1 = plain bilinear).
        int taps = Math.Clamp((int)Math.Ceiling(Math.Max(scaleX, scaleY)), 1, 4);
        return program
            .Set("width", width).Set("height", height)
            .Set("OH", options.Height).Set("OW", options.Width).Set("batchIndex", batchIndex)
            .Set("cropX", cropX).Set("cropY", cropY).Set("scaleX", scaleX).Set("scaleY", scaleY).Set("taps", taps)
            .Set("mean", options.Mean.R, options.Mean.G, options.Mean.B)
            .Set("invStd", 1 / options.Std.R, 1 / options.Std.G, 1 / options.Std.B)
            .Set("outChannels", outChannels);
    }
}
