namespace VisionPlugin.Host.Window;

/// <summary>How to open a <see cref="GlfwWindow"/>. Immutable; defaults suit the live app.</summary>
public sealed record GlfwWindowOptions
{
    public string Title { get; init; } = "VisionPlugin";

    /// <summary>Client-area width in screen coordinates.</summary>
    public int Width { get; init; } = 1280;

    /// <summary>Client-area height in screen coordinates.</summary>
    public int Height { get; init; } = 720;

    public bool Resizable { get; init; } = true;

    /// <summary>False opens a hidden window (GLFW_VISIBLE=0): it still has a context and a back buffer to draw into.</summary>
    public bool Visible { get; init; } = true;

    /// <summary>glfwSwapInterval: 1 waits for vertical sync on swap, 0 swaps immediately.</summary>
    public int SwapInterval { get; init; } = 1;

    /// <summary>When true, pressing Escape sets <see cref="GlfwWindow.ShouldClose"/> (the event is still delivered).</summary>
    public bool EscapeCloses { get; init; } = true;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
        if (Width < 1 || Height < 1 || Width > 16384 || Height > 16384)
            throw new ArgumentOutOfRangeException(nameof(Width), $"Window size must be 1..16384 on each side; got {Width}x{Height}.");
        ArgumentOutOfRangeException.ThrowIfNegative(SwapInterval, nameof(SwapInterval));
    }
}
