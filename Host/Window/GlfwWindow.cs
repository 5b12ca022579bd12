using System.Text;

namespace VisionPlugin.Host.Window;

/// <summary>
/// A GLFW window with an OpenGL 4.3 core (forward-compatible) context, made current on the creating thread,
/// which becomes the window's GL thread: every member except <see cref="Dispose"/>'s guard must be used there.
/// Input arrives during <see cref="PollEvents"/> and is queued: <see cref="DrainKeyEvents"/> and
/// <see cref="DrainText"/> hand it out in arrival order.
/// </summary>
/// <example>
/// <code>
/// using var window = new GlfwWindow(new GlfwWindowOptions { Title = "VisionPlugin" });
/// using var runtime = VisionRuntime.Attach(window.GetProcAddress);
/// while (!window.ShouldClose) { window.PollEvents(); /* draw */ window.SwapBuffers(); }
/// </code>
/// </example>
public sealed class GlfwWindow : IDisposable
{
    private readonly int _threadId;
    private readonly List<KeyEvent> _keyEvents = [];
    private readonly StringBuilder _text = new();
    // Kept as fields: GLFW holds native pointers to these delegates for the window's lifetime.
    private readonly Glfw.KeyCallback _onKey;
    private readonly Glfw.CharCallback _onChar;
    private readonly Glfw.FramebufferSizeCallback _onFramebufferSize;
    private nint _handle;

    /// <summary>Opens the window and makes its context current on the calling thread.</summary>
    /// <exception cref="GlfwException">No display, no OpenGL 4.3 core context, or another GLFW failure (GLFW's message included).</exception>
    public GlfwWindow(GlfwWindowOptions? options = null)
    {
        Options = options ?? new GlfwWindowOptions();
        Options.Validate();
        _threadId = Environment.CurrentManagedThreadId;
        _onKey = OnKey;
        _onChar = OnChar;
        _onFramebufferSize = OnFramebufferSize;
        GlfwLibrary.Acquire();
        try
        {
            Glfw.DefaultWindowHints();
            Glfw.WindowHint(Glfw.CLIENT_API, Glfw.OPENGL_API);
            Glfw.WindowHint(Glfw.CONTEXT_VERSION_MAJOR, 4);
            Glfw.WindowHint(Glfw.CONTEXT_VERSION_MINOR, 3);
            Glfw.WindowHint(Glfw.OPENGL_PROFILE, Glfw.OPENGL_CORE_PROFILE);
            Glfw.WindowHint(Glfw.OPENGL_FORWARD_COMPAT, Glfw.TRUE);
            Glfw.WindowHint(Glfw.RESIZABLE, Options.Resizable ? Glfw.TRUE : Glfw.FALSE);
            Glfw.WindowHint(Glfw.VISIBLE, Options.Visible ? Glfw.TRUE : Glfw.FALSE);
            _handle = Glfw.CreateWindow(Options.Width, Options.Height, Options.Title, 0, 0);
            GlfwLibrary.ThrowIfError("glfwCreateWindow (OpenGL 4.3 core)");
            if (_handle == 0) throw new GlfwException("glfwCreateWindow (OpenGL 4.3 core)", 0, "no window was created");
            Glfw.MakeContextCurrent(_handle);
            Glfw.SwapInterval(Options.SwapInterval);
            Glfw.SetKeyCallback(_handle, _onKey);
            Glfw.SetCharCallback(_handle, _onChar);
            Glfw.SetFramebufferSizeCallback(_handle, _onFramebufferSize);
            Glfw.GetFramebufferSize(_handle, out int width, out int height);
            FramebufferWidth = width;
            FramebufferHeight = height;
            GlfwLibrary.ThrowIfError("setting up the window");
        }
        catch
        {
            DestroyHandle();
            GlfwLibrary.Release();
            throw;
        }
    }

    public GlfwWindowOptions Options { get; }

    /// <summary>Width of the drawable in pixels (can differ from the window size on scaled displays).</summary>
    public int FramebufferWidth { get; private set; }

    /// <summary>Height of the drawable in pixels.</summary>
    public int FramebufferHeight { get; private set; }

    /// <summary>Raised during <see cref="PollEvents"/> with the new framebuffer (width, height) in pixels.</summary>
    public event Action<int, int>? FramebufferSizeChanged;

    /// <summary>True once the close button was pressed, Escape was pressed (when <see cref="GlfwWindowOptions.EscapeCloses"/>), or set here.</summary>
    public bool ShouldClose
    {
        get { VerifyAccess(); return Glfw.WindowShouldClose(_handle) != 0; }
        set { VerifyAccess(); Glfw.SetWindowShouldClose(_handle, value ? Glfw.TRUE : Glfw.FALSE); }
    }

    /// <summary>The address of a GL function in this window's context; pass to <c>VisionRuntime.Attach(window.GetProcAddress)</c>.</summary>
    public nint GetProcAddress(string name)
    {
        VerifyAccess();
        ArgumentNullException.ThrowIfNull(name);
        return Glfw.GetProcAddress(name);
    }

    /// <summary>Processes pending window-system events: fills the key and text queues, updates the framebuffer size.</summary>
    public void PollEvents()
    {
        VerifyAccess();
        (int width, int height) = (FramebufferWidth, FramebufferHeight);
        Glfw.PollEvents();
        GlfwLibrary.ThrowIfError("glfwPollEvents");
        // Raised here rather than inside the GLFW callback, so a handler's exception never unwinds through C frames.
        if ((width, height) != (FramebufferWidth, FramebufferHeight)) FramebufferSizeChanged?.Invoke(FramebufferWidth, FramebufferHeight);
    }

    /// <summary>The key events received since the last call, oldest first; empties the queue.</summary>
    public IReadOnlyList<KeyEvent> DrainKeyEvents()
    {
        VerifyAccess();
        KeyEvent[] events = [.. _keyEvents];
        _keyEvents.Clear();
        return events;
    }

    /// <summary>The text typed since the last call (Unicode characters, layout applied); empties the queue.</summary>
    public string DrainText()
    {
        VerifyAccess();
        string text = _text.ToString();
        _text.Clear();
        return text;
    }

    /// <summary>Shows the back buffer (waits for vertical sync when the swap interval is 1).</summary>
    public void SwapBuffers()
    {
        VerifyAccess();
        Glfw.SwapBuffers(_handle);
    }

    /// <summary>Makes this window's context current on the GL thread again (after another context was used).</summary>
    public void MakeCurrent()
    {
        VerifyAccess();
        Glfw.MakeContextCurrent(_handle);
    }

    public void SetTitle(string title)
    {
        VerifyAccess();
        ArgumentNullException.ThrowIfNull(title);
        Glfw.SetWindowTitle(_handle, title);
    }

    /// <summary>Asks for a new client size; the framebuffer size follows in a later <see cref="PollEvents"/>.</summary>
    public void Resize(int width, int height)
    {
        VerifyAccess();
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Glfw.SetWindowSize(_handle, width, height);
    }

    /// <summary>Shows a hidden window and gives it input focus.</summary>
    public void ShowAndFocus()
    {
        VerifyAccess();
        Glfw.ShowWindow(_handle);
        Glfw.FocusWindow(_handle);
    }

    /// <summary>Destroys the window and its context; the last window alive terminates GLFW. Idempotent; GL thread only.</summary>
    public void Dispose()
    {
        if (_handle == 0) return;
        VerifyAccess();
        DestroyHandle();
        GlfwLibrary.Release();
    }

    private void DestroyHandle()
    {
        if (_handle == 0) return;
        if (Glfw.GetCurrentContext() == _handle) Glfw.MakeContextCurrent(0);
        Glfw.DestroyWindow(_handle);
        _handle = 0;
    }

    private void VerifyAccess()
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException(
                $"GlfwWindow used from thread {Environment.CurrentManagedThreadId}; only its GL thread {_threadId} may.");
    }

    // The callbacks run inside glfwPollEvents on the GL thread; they only record what happened.
    private void OnKey(nint window, int key, int scancode, int action, int modifiers)
    {
        _keyEvents.Add(new KeyEvent((Key)key, (KeyAction)action, (KeyModifiers)modifiers));
        if (Options.EscapeCloses && key == (int)Key.Escape && action == (int)KeyAction.Press)
            Glfw.SetWindowShouldClose(window, Glfw.TRUE);
    }

    private void OnChar(nint window, uint codepoint)
    {
        if (codepoint <= 0x10FFFF && !(codepoint is >= 0xD800 and <= 0xDFFF)) _text.Append(char.ConvertFromUtf32((int)codepoint));
    }

    private void OnFramebufferSize(nint window, int width, int height)
    {
        FramebufferWidth = width;
        FramebufferHeight = height;
    }
}
