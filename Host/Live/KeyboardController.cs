using VisionPlugin.Host.Window;

namespace VisionPlugin.Host.Live;

/// <summary>
/// Turns the window's key and text events into live-session commands:
/// 1-9 capture the current frame as a sample of class k (held: a burst, one sample per
/// <see cref="BurstInterval"/>), N then a digit then the typed name and Enter names a class (Esc cancels),
/// T trains, S saves, E exports ONNX, R resets, P saves a screenshot, H toggles help, Esc (outside name entry) quits.
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
    /// <remarks>
    /// The window queues key events and typed characters separately, so within one frame their order is
    /// reconstructed: the characters typed while naming are those after the class digit (when naming started in
    /// this frame) and are part of the name when Enter arrives in the same frame.
    /// </remarks>
    public IReadOnlyList<LiveCommand> Update(IReadOnlyList<KeyEvent> keys, string text, DateTime now)
    {
        var commands = new List<LiveCommand>();
        _pendingText = _entry == NameEntry.Typing ? Printable(text) : null;
        _frameText = text;
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
                case Key.N: _entry = NameEntry.WaitingForDigit; _typed = ""; _held.Clear(); break;
                case Key.T: commands.Add(new LiveCommand.Train()); break;
                case Key.S: commands.Add(new LiveCommand.Save()); break;
                case Key.E: commands.Add(new LiveCommand.Export()); break;
                case Key.R: commands.Add(new LiveCommand.Reset()); break;
                case Key.H: commands.Add(new LiveCommand.ToggleHelp()); break;
                case Key.P: commands.Add(new LiveCommand.Screenshot()); break;
                case Key.Escape: QuitRequested = true; break;
            }
        }
        if (_entry == NameEntry.Typing && _pendingText is not null) _typed += _pendingText;
        _pendingText = null;
        if (_entry == NameEntry.None) foreach (int key in _held) Capture(key, now, commands, force: false);
        return commands;
    }

    private string? _pendingText;
    private string _frameText = "";

    private static string Printable(string text) => new([.. text.Where(c => !char.IsControl(c))]);

    private void NameEntryKey(KeyEvent e, List<LiveCommand> commands)
    {
        if (e.Action == KeyAction.Release) return;
        if (e.Key == Key.Escape) { _entry = NameEntry.None; _pendingText = null; return; }
        if (_entry == NameEntry.WaitingForDigit)
        {
            int digit = Digit(e.Key);
            if (digit > 0 && e.Action == KeyAction.Press)
            {
                _entryKey = digit;
                _entry = NameEntry.Typing;
                _typed = "";
                // This frame's characters after the digit's own character belong to the name.
                int at = _frameText.IndexOf((char)('0' + digit));
                _pendingText = at < 0 ? "" : Printable(_frameText[(at + 1)..]);
            }
            return;
        }
        if (e.Key == Key.Backspace && _typed.Length > 0) _typed = _typed[..^1];
        if (e.Key is Key.Enter or Key.KeypadEnter)
        {
            commands.Add(new LiveCommand.NameClass(_entryKey, _typed + (_pendingText ?? "")));
            _pendingText = null;
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
        "1-9  capture class k (hold)",
        "N    name class: N, k, name",
        "T    train (preview runs on)",
        "S    save    E  export ONNX",
        "R    reset   P  screenshot",
        "H    help    Esc  quit",
    ];
}
