using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// An immutable array with value equality, so records that hold lists (dims, nodes, weights)
/// compare by content: <c>read(write(model)) == model</c>. <c>default</c> is the empty array.
/// Build one with a collection expression (<c>ValueArray&lt;long&gt; dims = [64, 3, 7, 7];</c>)
/// or <see cref="ValueArray.From{T}(IEnumerable{T})"/>; both copy, so the caller's array can change later.
/// </summary>
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.Create))]
public readonly struct ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    private readonly T[]? _items;

    /// <summary>Wraps <paramref name="items"/> without copying; the caller gives up the array.</summary>
    internal ValueArray(T[] items) => _items = items;

    public static ValueArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public bool IsEmpty => Count == 0;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public ReadOnlyMemory<T> AsMemory() => _items;

    /// <summary>A fresh copy the caller may modify.</summary>
    public T[] ToArray() => _items is null ? [] : (T[])_items.Clone();

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    public bool Equals(ValueArray<T> other) => AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    /// <summary>Hashes the length and the first few items (cheap for million-element weights).</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        var span = AsSpan();
        for (int i = 0; i < Math.Min(span.Length, 8); i++) hash.Add(span[i]);
        return hash.ToHashCode();
    }

    public static bool operator ==(ValueArray<T> left, ValueArray<T> right) => left.Equals(right);

    public static bool operator !=(ValueArray<T> left, ValueArray<T> right) => !left.Equals(right);

    /// <summary>"[64,3,7,7]"; long arrays show their first 16 items and the count.</summary>
    public override string ToString()
    {
        const int Shown = 16;
        var text = new StringBuilder("[");
        var span = AsSpan();
        for (int i = 0; i < Math.Min(span.Length, Shown); i++)
        {
            if (i > 0) text.Append(',');
            text.Append(span[i]);
        }
        if (span.Length > Shown) text.Append($",... ({span.Length} items)");
        return text.Append(']').ToString();
    }
}

/// <summary>Factories for <see cref="ValueArray{T}"/>.</summary>
public static class ValueArray
{
    /// <summary>Copies <paramref name="items"/> (also the collection-expression builder).</summary>
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? default : new(items.ToArray());

    /// <summary>Copies <paramref name="items"/>.</summary>
    public static ValueArray<T> From<T>(IEnumerable<T> items) => items is ValueArray<T> already ? already : Own(items.ToArray());

    /// <summary>Wraps an array the caller will never touch again (no copy).</summary>
    internal static ValueArray<T> Own<T>(T[] items) => items.Length == 0 ? default : new(items);
}
