namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// An append-only buffer that hands its array over without a copy when it is exactly full, which
/// is the usual case for a packed run sized up front. Used while decoding repeated fields.
/// </summary>
internal struct GrowableArray<T>
{
    private T[]? _items;
    private int _count;

    public readonly int Count => _count;

    public void Add(T item)
    {
        EnsureRoom(1);
        _items![_count++] = item;
    }

    /// <summary>Makes room for <paramref name="more"/> items (exactly, when nothing is stored yet).</summary>
    public void EnsureRoom(int more)
    {
        long needed = (long)_count + more;
        if (_items is not null && needed <= _items.Length) return;
        if (needed > Array.MaxLength) throw new OverflowException($"{needed} values exceed the largest array.");
        int capacity = _items is null ? Math.Max(more, 4) : (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _items.Length));
        Array.Resize(ref _items, capacity);
    }

    public ValueArray<T> ToValueArray()
    {
        if (_items is null || _count == 0) return default;
        if (_count != _items.Length) Array.Resize(ref _items, _count);
        return ValueArray.Own(_items);
    }
}
