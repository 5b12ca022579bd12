namespace VisionPlugin.Host.Window;

/// <summary>What happened to a key (GLFW_RELEASE, GLFW_PRESS, GLFW_REPEAT).</summary>
public enum KeyAction
{
    Release = 0,
    Press = 1,
    Repeat = 2,
}

/// <summary>Modifier keys held during a key event (GLFW_MOD_*).</summary>
[Flags]
public enum KeyModifiers
{
    None = 0,
    Shift = 0x1,
    Control = 0x2,
    Alt = 0x4,
    Super = 0x8,
    CapsLock = 0x10,
    NumLock = 0x20,
}

/// <summary>One key event from the window, in arrival order. <see cref="Key"/> is the layout-independent key.</summary>
public readonly record struct KeyEvent(Key Key, KeyAction Action, KeyModifiers Modifiers);
