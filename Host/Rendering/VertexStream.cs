using VisionPlugin.Engine;
using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Host.Rendering;

/// <summary>
/// A vertex array + buffer for 2D vertices rewritten every frame. One vertex is <see cref="FloatsPerVertex"/> floats:
/// position x, y (pixels), texture u, v, colour r, g, b, a — the inputs of <c>overlay.vert</c> at locations 0, 1, 2.
/// Owns its GL objects; dispose on the GL thread (idempotent).
/// </summary>
internal sealed class VertexStream : IDisposable
{
    public const int FloatsPerVertex = 8;
    private const int StrideBytes = FloatsPerVertex * sizeof(float);
    private readonly GpuContext _context;
    private readonly uint _vertexArray;
    private readonly uint _buffer;
    private long _capacityBytes;
    private bool _disposed;

    public VertexStream(GpuContext context)
    {
        context.VerifyAccess();
        _context = context;
        GL gl = context.GL;
        _vertexArray = gl.GenVertexArray();
        _buffer = gl.GenBuffer();
        gl.BindVertexArray(_vertexArray);
        gl.BindBuffer(GL.ARRAY_BUFFER, _buffer);
        gl.VertexAttribPointer(0, 2, StrideBytes, 0);
        gl.VertexAttribPointer(1, 2, StrideBytes, 2 * sizeof(float));
        gl.VertexAttribPointer(2, 4, StrideBytes, 4 * sizeof(float));
        gl.EnableVertexAttribArray(0);
        gl.EnableVertexAttribArray(1);
        gl.EnableVertexAttribArray(2);
        gl.BindVertexArray(0);
        gl.BindBuffer(GL.ARRAY_BUFFER, 0);
    }

    /// <summary>Uploads <paramref name="vertices"/> (a multiple of <see cref="FloatsPerVertex"/>) and draws them as triangles.</summary>
    public void DrawTriangles(ReadOnlySpan<float> vertices)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int vertexCount = vertices.Length / FloatsPerVertex;
        if (vertexCount == 0) return;
        GL gl = _context.GL;
        gl.BindVertexArray(_vertexArray);
        gl.BindBuffer(GL.ARRAY_BUFFER, _buffer);
        long bytes = (long)vertices.Length * sizeof(float);
        if (bytes > _capacityBytes)
        {
            gl.BufferData(GL.ARRAY_BUFFER, vertices, GL.STREAM_DRAW);
            _capacityBytes = bytes;
        }
        else
        {
            gl.BufferSubData(GL.ARRAY_BUFFER, 0, vertices);
        }
        gl.DrawArrays(GL.TRIANGLES, 0, vertexCount);
        gl.BindVertexArray(0);
    }

    /// <summary>Appends the two triangles of an axis-aligned quad to <paramref name="vertices"/>.</summary>
    public static void AppendQuad(List<float> vertices, PixelRect rect, float u0, float v0, float u1, float v1, RgbaColor color)
    {
        float x0 = rect.X, y0 = rect.Y, x1 = rect.Right, y1 = rect.Bottom;
        Span<float> quad =
        [
            x0, y0, u0, v0, color.R, color.G, color.B, color.A,
            x1, y0, u1, v0, color.R, color.G, color.B, color.A,
            x1, y1, u1, v1, color.R, color.G, color.B, color.A,
            x0, y0, u0, v0, color.R, color.G, color.B, color.A,
            x1, y1, u1, v1, color.R, color.G, color.B, color.A,
            x0, y1, u0, v1, color.R, color.G, color.B, color.A,
        ];
        vertices.AddRange(quad);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _context.VerifyAccess();
        _context.GL.DeleteVertexArray(_vertexArray);
        _context.GL.DeleteBuffer(_buffer);
    }
}
