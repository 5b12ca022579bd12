using VisionPlugin.Engine;

namespace VisionPlugin;

/// <summary>
/// The plugin's entry point: a GPU context the classifier and fine-tuning features run on.
/// Create one headless (<see cref="CreateHeadless"/>) or attach it to the OpenGL 4.3+ context your
/// application already made current (<see cref="Attach"/>). Use it only on that context's thread.
/// </summary>
/// <example>
/// Silk.NET: <c>var runtime = VisionRuntime.Attach(window.GLContext!.GetProcAddress);</c><br/>
/// GLFW: <c>var runtime = VisionRuntime.Attach(name =&gt; glfwGetProcAddress(name));</c>
/// </example>
public sealed class VisionRuntime : IDisposable
{
    private readonly bool _ownsContext;

    private VisionRuntime(GpuContext context, bool ownsContext = true)
    {
        Context = context;
        _ownsContext = ownsContext;
    }

    /// <summary>The engine context (tensors, programs, kernels).</summary>
    public GpuContext Context { get; }

    /// <summary>"renderer (GL version)" of the driver in use.</summary>
    public string DeviceDescription => $"{Context.Device.Renderer} (OpenGL {Context.Device.Version})";

    /// <summary>Creates a headless OpenGL context (EGL, no window) on the calling thread.</summary>
    /// <param name="options">Program cache settings; null for defaults.</param>
    public static VisionRuntime CreateHeadless(GpuContextOptions? options = null) => new(GpuContext.CreateHeadless(options));

    /// <summary>Attaches to the OpenGL context current on the calling thread.</summary>
    /// <param name="getProcAddress">Your GL loader, returning the address of a GL function by name.</param>
    /// <param name="options">Program cache settings; null for defaults.</param>
    public static VisionRuntime Attach(Func<string, nint> getProcAddress, GpuContextOptions? options = null) =>
        new(GpuContext.Attach(getProcAddress, options));

    /// <summary>Wraps an engine context the caller keeps owning (tests, hosts that made the context themselves).</summary>
    /// <param name="context">The context; not disposed with the runtime.</param>
    public static VisionRuntime Wrap(GpuContext context) => new(context, ownsContext: false);

    /// <summary>Releases the plugin's GL objects (and the context, when headless).</summary>
    public void Dispose()
    {
        if (_ownsContext) Context.Dispose();
    }
}
