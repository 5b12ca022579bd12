using VisionPlugin.Host.Live;
using VisionPlugin.Host.Window;

namespace VisionPlugin.Host.Tests.Live;

public sealed class KeyboardControllerTests
{
    private static KeyEvent Press(Key key) => new(key, KeyAction.Press, KeyModifiers.None);
    private static KeyEvent Release(Key key) => new(key, KeyAction.Release, KeyModifiers.None);
    private static readonly DateTime T0 = new(2026, 1, 1);

    [Fact]
    public void DigitsCaptureTheirClassAndHoldingCapturesABurstAtTheBurstInterval()
    {
        var keyboard = new KeyboardController { BurstInterval = TimeSpan.FromMilliseconds(100) };
        Assert.Equal([new LiveCommand.Capture(2)], keyboard.Update([Press(Key.Number2)], "2", T0));
        Assert.Empty(keyboard.Update([], "", T0.AddMilliseconds(50)));                      // held, too soon
        Assert.Equal([new LiveCommand.Capture(2)], keyboard.Update([], "", T0.AddMilliseconds(120)));
        Assert.Equal([new LiveCommand.Capture(2)], keyboard.Update([], "", T0.AddMilliseconds(240)));
        Assert.Empty(keyboard.Update([Release(Key.Number2)], "", T0.AddMilliseconds(400)));  // released: the burst ends
        Assert.Equal([new LiveCommand.Capture(9)], keyboard.Update([Press(Key.Keypad9)], "", T0.AddMilliseconds(500)));
    }

    [Fact]
    public void NamingTakesNThenTheDigitThenTheTypedNameThenEnter_EvenWhenAllArriveInOneFrame()
    {
        var keyboard = new KeyboardController();
        var commands = keyboard.Update([Press(Key.N), Press(Key.Number3), Press(Key.M), Press(Key.U), Press(Key.G), Press(Key.Enter)], "n3mug", T0);
        Assert.Equal([new LiveCommand.NameClass(3, "mug")], commands);
        Assert.Null(keyboard.Prompt);
    }

    [Fact]
    public void NamingAcrossFramesWithBackspaceAndEscapeCancels()
    {
        var keyboard = new KeyboardController();
        Assert.Empty(keyboard.Update([Press(Key.N)], "n", T0));
        Assert.StartsWith("Name which class", keyboard.Prompt);
        Assert.Empty(keyboard.Update([Press(Key.Number1)], "1", T0));
        Assert.Empty(keyboard.Update([], "cupx", T0));
        Assert.Empty(keyboard.Update([Press(Key.Backspace)], "", T0));
        Assert.Contains("class 1: cup_", keyboard.Prompt);
        Assert.Equal([new LiveCommand.NameClass(1, "cup 2")], keyboard.Update([Press(Key.Enter)], " 2", T0));
        Assert.Empty(keyboard.Update([Press(Key.N), Press(Key.Escape)], "n", T0));
        Assert.Null(keyboard.Prompt);
        Assert.False(keyboard.QuitRequested);                                               // Esc cancelled naming only
        Assert.Empty(keyboard.Update([Press(Key.Escape)], "", T0));
        Assert.True(keyboard.QuitRequested);
    }

    [Fact]
    public void CommandKeys()
    {
        var keyboard = new KeyboardController();
        var commands = keyboard.Update([Press(Key.T), Press(Key.S), Press(Key.E), Press(Key.R), Press(Key.H), Press(Key.P), Release(Key.T)], "tserhp", T0);
        Assert.Equal<LiveCommand>([new LiveCommand.Train(), new LiveCommand.Save(), new LiveCommand.Export(), new LiveCommand.Reset(),
            new LiveCommand.ToggleHelp(), new LiveCommand.Screenshot()], commands);
    }
}
