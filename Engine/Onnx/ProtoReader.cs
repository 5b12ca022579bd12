using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace VisionPlugin.Engine.Onnx;

/// <summary>
/// Reads the fields of one protobuf message that lies in the context's buffer, with
/// <see cref="CodedInputStream"/> doing the wire-level work (varints, bounds checks). Nested
/// messages, bytes and packed arrays come back as views of the buffer, never copies, so nothing
/// is allocated for data before its tensor's dims have been checked. Every read states the wire
/// type onnx.proto gives the field, so a file of another message type fails on its first mismatch.
/// </summary>
internal sealed class ProtoReader
{
    private readonly OnnxDecodeContext _context;
    private readonly int _offset;
    private readonly int _length;
    private readonly int _depth;
    private CodedInputStream _input;
    private long _positionToBuffer; // added to CodedInputStream.Position gives the buffer index
    private uint _tag;

    public ProtoReader(OnnxDecodeContext context, int offset, int length, int depth, string messageName)
    {
        if (depth > context.Limits.MaxNestingDepth)
            throw context.ErrorAtField($"messages nested more than {context.Limits.MaxNestingDepth} deep");
        _context = context;
        _depth = depth;
        MessageName = messageName;
        _offset = offset;
        _length = length;
        _input = new CodedInputStream(context.Buffer, offset, length);
        _positionToBuffer = offset - _input.Position;
    }

    /// <summary>Starts over at the first field (for decoders that count in one pass and fill in a second).</summary>
    public void Rewind()
    {
        _input = new CodedInputStream(_context.Buffer, _offset, _length);
        _positionToBuffer = _offset - _input.Position;
        _tag = 0;
    }

    public OnnxDecodeContext Context => _context;

    /// <summary>"GraphProto", for messages.</summary>
    public string MessageName { get; }

    public int FieldNumber => GetTagFieldNumber(_tag);

    private WireType CurrentWireType => GetTagWireType(_tag);

    private int BufferPosition => (int)(_input.Position + _positionToBuffer);

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool NextField()
    {
        _context.FieldStart = BufferPosition - _context.Offset;
        _tag = _input.ReadTag();
        return _tag != 0;
    }

    public long ReadInt64(string field) { Expect(WireType.Varint, field); return _input.ReadInt64(); }

    public int ReadInt32(string field) { Expect(WireType.Varint, field); return _input.ReadInt32(); }

    public float ReadFloat(string field) { Expect(WireType.Fixed32, field); return _input.ReadFloat(); }

    public string ReadString(string field) { Expect(WireType.LengthDelimited, field); return _input.ReadString(); }

    /// <summary>The payload of a length-delimited field, as a view of the buffer.</summary>
    public ReadOnlyMemory<byte> ReadBytes(string field)
    {
        Expect(WireType.LengthDelimited, field);
        int start = BufferPosition;
        _input.SkipLastField(); // reads the length and checks it against the bytes left, allocating nothing
        int end = BufferPosition;
        int prefix = VarintLength(start);
        return new ReadOnlyMemory<byte>(_context.Buffer, start + prefix, end - start - prefix);
    }

    /// <summary>A reader for the sub-message in this field.</summary>
    public ProtoReader ReadMessage(string field, string messageName)
    {
        ReadOnlyMemory<byte> payload = ReadBytes(field);
        int offset = BufferPosition - payload.Length;
        return new ProtoReader(_context, offset, payload.Length, _depth + 1, messageName);
    }

    /// <summary>
    /// Appends the values of a repeated scalar field: a packed run (length-delimited) or one
    /// unpacked element of <paramref name="elementWireType"/>; parsers must accept both. Refuses,
    /// before decoding, a field that would hold more than <paramref name="maxCount"/> values.
    /// </summary>
    public void ReadRepeated<T>(ref GrowableArray<T> values, WireType elementWireType, string field, Func<CodedInputStream, T> readOne, long maxCount, string tooMany)
    {
        if (CurrentWireType != WireType.LengthDelimited)
        {
            Expect(elementWireType, field);
            if (values.Count + 1L > maxCount) throw _context.ErrorAtField(tooMany);
            values.Add(readOne(_input));
            return;
        }
        var (packed, count) = OpenPackedRun(elementWireType, field);
        if (values.Count + (long)count > maxCount) throw _context.ErrorAtField(tooMany);
        values.EnsureRoom(count);
        for (int i = 0; i < count; i++) values.Add(readOne(packed));
    }

    /// <summary>Number of values this occurrence of a repeated scalar field holds, skipping them.</summary>
    public int CountRepeated(WireType elementWireType, string field)
    {
        if (CurrentWireType == WireType.LengthDelimited) return OpenPackedRun(elementWireType, field).Count;
        Expect(elementWireType, field);
        _input.SkipLastField();
        return 1;
    }

    /// <summary>Decodes this occurrence of a repeated scalar field into <paramref name="destination"/> from <paramref name="filled"/> on.</summary>
    public void FillRepeated<T>(T[] destination, ref int filled, WireType elementWireType, string field, Func<CodedInputStream, T> readOne)
    {
        if (CurrentWireType != WireType.LengthDelimited)
        {
            Expect(elementWireType, field);
            destination[filled++] = readOne(_input);
            return;
        }
        var (packed, count) = OpenPackedRun(elementWireType, field);
        for (int i = 0; i < count; i++) destination[filled++] = readOne(packed);
    }

    /// <summary>A stream over a packed run and the number of values in it (counted, not decoded).</summary>
    private (CodedInputStream Run, int Count) OpenPackedRun(WireType elementWireType, string field)
    {
        ReadOnlyMemory<byte> run = ReadBytes(field);
        int offset = BufferPosition - run.Length;
        int count = elementWireType switch
        {
            WireType.Fixed32 => run.Length % 4 == 0 ? run.Length / 4 : throw _context.ErrorAtField($"packed {MessageName}.{field} has {run.Length} bytes, not a whole number of 4-byte values"),
            WireType.Fixed64 => run.Length % 8 == 0 ? run.Length / 8 : throw _context.ErrorAtField($"packed {MessageName}.{field} has {run.Length} bytes, not a whole number of 8-byte values"),
            _ => CountVarints(run.Span, field),
        };
        return (new CodedInputStream(_context.Buffer, offset, run.Length), count);
    }

    /// <summary>Skips a field this layer does not use (protobuf's forward compatibility), groups included.</summary>
    public void SkipField()
    {
        if (CurrentWireType == WireType.EndGroup)
            throw _context.ErrorAtField($"unexpected end-group tag for field {FieldNumber} in {MessageName}");
        if (CurrentWireType != WireType.StartGroup)
        {
            _input.SkipLastField();
            return;
        }
        // Groups are skipped with an explicit stack of open field numbers: no recursion, bounded depth.
        var open = new Stack<int>();
        open.Push(FieldNumber);
        while (open.Count > 0)
        {
            _context.FieldStart = BufferPosition - _context.Offset;
            uint tag = _input.ReadTag();
            if (tag == 0) throw _context.ErrorAtField($"group {open.Peek()} in {MessageName} is not closed before the message ends");
            switch (GetTagWireType(tag))
            {
                case WireType.StartGroup:
                    if (_depth + open.Count >= _context.Limits.MaxNestingDepth)
                        throw _context.ErrorAtField($"protobuf groups nested more than {_context.Limits.MaxNestingDepth} deep");
                    open.Push(GetTagFieldNumber(tag));
                    break;
                case WireType.EndGroup:
                    if (open.Pop() != GetTagFieldNumber(tag))
                        throw _context.ErrorAtField($"mismatched end-group tag for field {GetTagFieldNumber(tag)} in {MessageName}");
                    break;
                default:
                    _tag = tag;
                    _input.SkipLastField();
                    break;
            }
        }
    }

    /// <summary>Refuses a field whose wire type is not what onnx.proto declares.</summary>
    public void Expect(WireType expected, string field)
    {
        if (CurrentWireType != expected)
            throw _context.ErrorAtField(
                $"not {_context.Expected}: field {FieldNumber} of {MessageName} ({field}) has wire type {CurrentWireType}, expected {expected}");
    }

    private int VarintLength(int start)
    {
        int length = 1;
        while ((_context.Buffer[start + length - 1] & 0x80) != 0) length++;
        return length;
    }

    /// <summary>Values in a packed varint run = bytes without the continuation bit.</summary>
    private int CountVarints(ReadOnlySpan<byte> run, string field)
    {
        int count = 0;
        foreach (byte b in run) if ((b & 0x80) == 0) count++;
        if (run.Length > 0 && (run[^1] & 0x80) != 0)
            throw _context.ErrorAtField($"packed {MessageName}.{field} ends inside a varint");
        return count;
    }
}
