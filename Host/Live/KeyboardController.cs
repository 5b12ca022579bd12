using VisionPlugin.Host.Window;

namespace VisionPlugin.Host.Live;

/// <summary>
/// Turns the window's key and text events into live-session commands:
/// 1-9 capture the current frame as a sample of class k (held: a burst, one sample per
/// <see cref="BurstInterval"/>), N then a digit then the typed name and Enter names a class (Esc cancels),
/// T trains, S saves, E exports ONNX, R resets, H toggles help, Esc (outside name entry) quits.
/// </summary>
internal sealed class KeyboardController
{
    private readonly HashSet<int> _held = [];
    private readonly Dictionary<int, DateTime> _lastCapture = [];
    private NameEntry _entry = NameEntry.None;
    private int _entryKey;
    private string _typed = "";

    private enum NameEntry { None, WaitingForDigit, Typing }

    /// <summary>Time between samples while a class key is held.</summary>
    public TimeSpan BurstInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Esc was pressed outside name entry.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>The prompt while naming a class ("Name class 2: mug_"), else null.</summary>
    public string? Prompt => _entry switch
    {
        NameEntry.WaitingForDigit => "Name which class? Press 1-9 (Esc cancels)",
        NameEntry.Typing => $"Name for class {_entryKey}: {_typed}_   (Enter confirms, Esc cancels)",
        _ => null,
    };

    /// <summary>Commands for this frame from the drained key events and typed text, plus burst captures of held keys.</summary>
    public IReadOnlyList<LiveCommand> Update(IReadOnlyList<KeyEvent> keys, string text, DateTime now)
    {
        var commands = new List<LiveCommand>();
        bool wasTyping = _entry == NameEntry.Typing; // the digit that starts typing arrives as text too: skip that frame's text
        foreach (KeyEvent e in keys)
        {
            if (_entry != NameEntry.None) { NameEntryKey(e, commands); continue; }
            int digit = Digit(e.Key);
            if (digit > 0)
            {
                if (e.Action == KeyAction.Press) { _held.Add(digit); Capture(digit, now, commands, force: true); }
                else if (e.Action == KeyAction.Release) _held.Remove(digit);
                continue;
            }
            if (e.Action != KeyAction.Press) continue;
            switch (e.Key)
            {
                case Key.N: _entry = NameEntry.WaitingForDigit; _typed = ""; break;
                case Key.T: commands.Add(new LiveCommand.Train()); break;
                case Key.S: commands.Add(new LiveCommand.Save()); break;
                case Key.E: commands.Add(new LiveCommand.Export()); break;
                case Key.R: commands.Add(new LiveCommand.Reset()); break;
                case Key.H: commands.Add(new LiveCommand.ToggleHelp()); break;
                case Key.Escape: QuitRequested = true; break;
            }
        }
        if (wasTyping && _entry == NameEntry.Typing) _typed += new string([.. text.Where(c => !char.IsControl(c))]);
        foreach (int key in _held) Capture(key, now, commands, force: false);
        return commands;
    }

    private void NameEntryKey(KeyEvent e, List<LiveCommand> commands)
    {
        if (e.Action == KeyAction.Release) return;
        if (e.Key == Key.Escape) { _entry = NameEntry.None; return; }
        if (_entry == NameEntry.WaitingForDigit)
        {
            int digit = Digit(e.Key);
            if (digit > 0 && e.Action == KeyAction.Press) { _entryKey = digit; _entry = NameEntry.Typing; _typed = ""; }
            return;
        }
        if (e.Key == Key.Backspace && _typed.Length > 0) _typed = _typed[..^1];
        if (e.Key is Key.Enter or Key.KeypadEnter)
        {
            commands.Add(new LiveCommand.NameClass(_entryKey, _typed));
            _entry = NameEntry.None;
        }
    }

    private void Capture(int key, DateTime now, List<LiveCommand> commands, bool force)
    {
        if (!force && _lastCapture.TryGetValue(key, out DateTime last) && now - last < BurstInterval) return;
        _lastCapture[key] = now;
        commands.Add(new LiveCommand.Capture(key));
    }

    private static int Digit(Key key) => key is >= Key.Number1 and <= Key.Number9 ? key - Key.Number0
        : key is >= Key.Keypad1 and <= Key.Keypad9 ? key - Key.Keypad0 : 0;

    /// <summary>The help panel's lines.</summary>
    public static IReadOnlyList<string> HelpLines { get; } =
    [
        "1-9   capture the frame as a sample of class k (hold for a burst)",
        "N     name a class: N, the class number, type, Enter",
        "T     train on the captured samples (the preview keeps running)",
        "S     save the session      E   export ONNX",
        "R     reset (forget every class and sample)",
        "H     show / hide this help  Esc quit",
    ];
}
