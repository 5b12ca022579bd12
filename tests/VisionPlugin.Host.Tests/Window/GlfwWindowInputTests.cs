using System.Diagnostics;
using VisionPlugin.Host.Tests.Infrastructure;
using VisionPlugin.Host.Window;

namespace VisionPlugin.Host.Tests.Window;

/// <summary>Keyboard input from real (synthesized) X events: xdotool sends them to the window under Xvfb.</summary>
[Collection("Xvfb")]
public sealed class GlfwWindowInputTests(XvfbFixture xvfb)
{
    private (GlfwWindow Window, string Id) OpenVisible(bool escapeCloses = true)
    {
        string title = $"vp-keys-{Guid.NewGuid():N}";
        var window = new GlfwWindow(new GlfwWindowOptions { Title = title, Width = 320, Height = 240, EscapeCloses = escapeCloses, SwapInterval = 0 });
        window.PollEvents();
        string id = xvfb.RunClient("xdotool", $"search --sync --name {title}").Trim().Split('\n')[0];
        xvfb.RunClient("xdotool", $"windowfocus --sync {id}");
        return (window, id);
    }

    /// <summary>Polls until <paramref name="done"/> says the collected events are complete (or 3 s pass); returns them.</summary>
    private static (List<KeyEvent> Keys, string Text) Collect(GlfwWindow window, Func<List<KeyEvent>, string, bool> done)
    {
        var keys = new List<KeyEvent>();
        string text = "";
        var clock = Stopwatch.StartNew();
        while (!done(keys, text) && clock.ElapsedMilliseconds < 3000)
        {
            window.PollEvents();
            keys.AddRange(window.DrainKeyEvents());
            text += window.DrainText();
            Thread.Sleep(5);
        }
        return (keys, text);
    }

    [Fact]
    public void Key_presses_repeats_releases_and_typed_text_arrive_in_order()
    {
        (GlfwWindow window, string id) = OpenVisible();
        using (window)
        {
            xvfb.RunClient("xdotool", $"key --window {id} 2");
            (List<KeyEvent> keys, string text) = Collect(window, (k, t) => k.Count >= 2 && t.Length >= 1);
            Assert.Equal([new KeyEvent(Key.Number2, KeyAction.Press, KeyModifiers.None), new KeyEvent(Key.Number2, KeyAction.Release, KeyModifiers.None)], keys);
            Assert.Equal("2", text);

            // A key held past the X server's auto-repeat delay (660 ms): press, repeats, one release.
            xvfb.RunClient("xdotool", "keydown h");
            (keys, _) = Collect(window, (k, _) => k.Count >= 3);
            xvfb.RunClient("xdotool", "keyup h");
            (List<KeyEvent> released, _) = Collect(window, (k, _) => k.Count >= 1);
            keys.AddRange(released);
            Assert.True(keys.Count >= 4, string.Join(", ", keys));
            Assert.Equal(KeyAction.Press, keys[0].Action);
            Assert.All(keys.Skip(1).SkipLast(1), k => Assert.Equal(KeyAction.Repeat, k.Action));
            Assert.Equal(KeyAction.Release, keys[^1].Action);
            Assert.All(keys, k => Assert.Equal(Key.H, k.Key));

            // Typing a class name, with a shifted capital.
            xvfb.RunClient("xdotool", $"type --window {id} --delay 20 Mug");
            (keys, text) = Collect(window, (_, t) => t.Length >= 3);
            Assert.Equal("Mug", text);
            Assert.Contains(keys, k => k.Key == Key.M && k.Action == KeyAction.Press && k.Modifiers.HasFlag(KeyModifiers.Shift));
            Assert.False(window.ShouldClose);
        }
    }

    [Fact]
    public void Escape_sets_should_close_unless_turned_off()
    {
        (GlfwWindow closing, string closingId) = OpenVisible(escapeCloses: true);
        using (closing)
        {
            Assert.False(closing.ShouldClose);
            xvfb.RunClient("xdotool", $"key --window {closingId} Escape");
            (List<KeyEvent> keys, _) = Collect(closing, (k, _) => k.Count >= 2);
            Assert.Contains(new KeyEvent(Key.Escape, KeyAction.Press, KeyModifiers.None), keys);
            Assert.True(closing.ShouldClose);
            closing.ShouldClose = false;
            Assert.False(closing.ShouldClose);
        }
        (GlfwWindow staying, string stayingId) = OpenVisible(escapeCloses: false);
        using (staying)
        {
            xvfb.RunClient("xdotool", $"key --window {stayingId} Escape");
            (List<KeyEvent> keys, _) = Collect(staying, (k, _) => k.Count >= 2);
            Assert.Contains(new KeyEvent(Key.Escape, KeyAction.Press, KeyModifiers.None), keys);
            Assert.False(staying.ShouldClose);
        }
    }

    [Fact]
    public void Without_a_display_the_window_fails_with_a_message_that_says_so()
    {
        string display = xvfb.Display;
        NativeEnvironment.Set("DISPLAY", null);
        try
        {
            var e = Assert.Throws<GlfwException>(() => new GlfwWindow(new GlfwWindowOptions { Visible = false }));
            Assert.True(e.IsNoDisplay, e.Message);
            Assert.Contains("DISPLAY", e.GlfwMessage);
            Assert.StartsWith("No display", e.Message);
            Assert.Contains("headless", e.Message);
            Assert.Contains("xvfb-run", e.Message);
        }
        finally
        {
            NativeEnvironment.Set("DISPLAY", display);
        }
        // GLFW was left uninitialised by the failure: a window opens again once there is a display.
        using var window = new GlfwWindow(new GlfwWindowOptions { Visible = false, Width = 64, Height = 64 });
        Assert.Equal(64, window.FramebufferWidth);
    }

    [Fact]
    public void The_window_refuses_other_threads_and_disposes_idempotently()
    {
        var window = new GlfwWindow(new GlfwWindowOptions { Visible = false, Width = 64, Height = 64 });
        InvalidOperationException? error = null;
        var other = new Thread(() => error = Record.Exception(() => window.PollEvents()) as InvalidOperationException);
        other.Start();
        other.Join();
        Assert.NotNull(error);
        Assert.Contains("GL thread", error.Message);
        window.Dispose();
        window.Dispose();
        Assert.Throws<ObjectDisposedException>(() => window.SwapBuffers());
    }
}
