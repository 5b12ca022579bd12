namespace VisionPlugin.Engine.Binding;

/// <summary>
/// The OpenGL 4.3 core entry points for drawing (used by the host's preview and overlay renderers):
/// framebuffers, vertex arrays, fixed-function state, draws, texture uploads and pixel read-back.
/// Same rules as the compute half: loaded from the context's proc-address loader, GL thread only.
/// </summary>
public sealed unsafe partial class GL
{
    public const uint FRAMEBUFFER = 0x8D40;
    public const uint READ_FRAMEBUFFER = 0x8CA8;
    public const uint DRAW_FRAMEBUFFER = 0x8CA9;
    public const uint FRAMEBUFFER_BINDING = 0x8CA6;
    public const uint FRAMEBUFFER_COMPLETE = 0x8CD5;
    public const uint COLOR_ATTACHMENT0 = 0x8CE0;
    public const uint BACK = 0x0405;
    public const uint ARRAY_BUFFER = 0x8892;
    public const uint STREAM_DRAW = 0x88E0;
    public const uint VERTEX_SHADER = 0x8B31;
    public const uint FRAGMENT_SHADER = 0x8B30;
    public const uint TRIANGLES = 0x0004;
    public const uint BLEND = 0x0BE2;
    public const uint SCISSOR_TEST = 0x0C11;
    public const uint DEPTH_TEST = 0x0B71;
    public const uint CULL_FACE = 0x0B44;
    public const uint COLOR_BUFFER_BIT = 0x4000;
    public const uint ONE = 1;
    public const uint SRC_ALPHA = 0x0302;
    public const uint ONE_MINUS_SRC_ALPHA = 0x0303;
    public const uint UNPACK_ALIGNMENT = 0x0CF5;
    public const uint UNPACK_ROW_LENGTH = 0x0CF2;
    public const uint PACK_ALIGNMENT = 0x0D05;
    public const uint RGB = 0x1907;
    public const uint BGR = 0x80E0;
    public const uint R8 = 0x8229;
    public const uint LINEAR = 0x2601;
    public const uint TEXTURE_WRAP_S = 0x2802;
    public const uint TEXTURE_WRAP_T = 0x2803;
    public const uint CLAMP_TO_EDGE = 0x812F;
    public const uint MAX_TEXTURE_SIZE = 0x0D33;

    private delegate* unmanaged<int, uint*, void> _genFramebuffers;
    private delegate* unmanaged<int, uint*, void> _deleteFramebuffers;
    private delegate* unmanaged<uint, uint, void> _bindFramebuffer;
    private delegate* unmanaged<uint, uint, uint, uint, int, void> _framebufferTexture2D;
    private delegate* unmanaged<uint, uint> _checkFramebufferStatus;
    private delegate* unmanaged<uint, void> _readBuffer;
    private delegate* unmanaged<int, uint*, void> _genVertexArrays;
    private delegate* unmanaged<int, uint*, void> _deleteVertexArrays;
    private delegate* unmanaged<uint, void> _bindVertexArray;
    private delegate* unmanaged<uint, int, uint, byte, int, nint, void> _vertexAttribPointer;
    private delegate* unmanaged<uint, void> _enableVertexAttribArray;
    private delegate* unmanaged<int, int, int, int, void> _viewport;
    private delegate* unmanaged<int, int, int, int, void> _scissor;
    private delegate* unmanaged<uint, void> _enable;
    private delegate* unmanaged<uint, void> _disable;
    private delegate* unmanaged<float, float, float, float, void> _clearColor;
    private delegate* unmanaged<uint, void> _clear;
    private delegate* unmanaged<uint, uint, uint, uint, void> _blendFuncSeparate;
    private delegate* unmanaged<uint, int, int, void> _drawArrays;
    private delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void> _texSubImage2D;
    private delegate* unmanaged<uint, int, void> _pixelStorei;
    private delegate* unmanaged<int, int, int, int, uint, uint, void*, void> _readPixels;
    private delegate* unmanaged<uint, int, uint, uint, void*, void> _getTexImage;
    private delegate* unmanaged<uint, int, float, float, void> _programUniform2f;

    private void LoadRenderingEntryPoints(Func<string, nint> load)
    {
        _genFramebuffers = (delegate* unmanaged<int, uint*, void>)load("glGenFramebuffers");
        _deleteFramebuffers = (delegate* unmanaged<int, uint*, void>)load("glDeleteFramebuffers");
        _bindFramebuffer = (delegate* unmanaged<uint, uint, void>)load("glBindFramebuffer");
        _framebufferTexture2D = (delegate* unmanaged<uint, uint, uint, uint, int, void>)load("glFramebufferTexture2D");
        _checkFramebufferStatus = (delegate* unmanaged<uint, uint>)load("glCheckFramebufferStatus");
        _readBuffer = (delegate* unmanaged<uint, void>)load("glReadBuffer");
        _genVertexArrays = (delegate* unmanaged<int, uint*, void>)load("glGenVertexArrays");
        _deleteVertexArrays = (delegate* unmanaged<int, uint*, void>)load("glDeleteVertexArrays");
        _bindVertexArray = (delegate* unmanaged<uint, void>)load("glBindVertexArray");
        _vertexAttribPointer = (delegate* unmanaged<uint, int, uint, byte, int, nint, void>)load("glVertexAttribPointer");
        _enableVertexAttribArray = (delegate* unmanaged<uint, void>)load("glEnableVertexAttribArray");
        _viewport = (delegate* unmanaged<int, int, int, int, void>)load("glViewport");
        _scissor = (delegate* unmanaged<int, int, int, int, void>)load("glScissor");
        _enable = (delegate* unmanaged<uint, void>)load("glEnable");
        _disable = (delegate* unmanaged<uint, void>)load("glDisable");
        _clearColor = (delegate* unmanaged<float, float, float, float, void>)load("glClearColor");
        _clear = (delegate* unmanaged<uint, void>)load("glClear");
        _blendFuncSeparate = (delegate* unmanaged<uint, uint, uint, uint, void>)load("glBlendFuncSeparate");
        _drawArrays = (delegate* unmanaged<uint, int, int, void>)load("glDrawArrays");
        _texSubImage2D = (delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void>)load("glTexSubImage2D");
        _pixelStorei = (delegate* unmanaged<uint, int, void>)load("glPixelStorei");
        _readPixels = (delegate* unmanaged<int, int, int, int, uint, uint, void*, void>)load("glReadPixels");
        _getTexImage = (delegate* unmanaged<uint, int, uint, uint, void*, void>)load("glGetTexImage");
        _programUniform2f = (delegate* unmanaged<uint, int, float, float, void>)load("glProgramUniform2f");
    }

    public uint GenFramebuffer()
    {
        uint id;
        _genFramebuffers(1, &id);
        return id;
    }

    public void DeleteFramebuffer(uint framebuffer) => _deleteFramebuffers(1, &framebuffer);
    public void BindFramebuffer(uint target, uint framebuffer) => _bindFramebuffer(target, framebuffer);

    public void FramebufferTexture2D(uint target, uint attachment, uint textureTarget, uint texture, int level) =>
        _framebufferTexture2D(target, attachment, textureTarget, texture, level);

    public uint CheckFramebufferStatus(uint target) => _checkFramebufferStatus(target);
    public void ReadBuffer(uint source) => _readBuffer(source);

    public uint GenVertexArray()
    {
        uint id;
        _genVertexArrays(1, &id);
        return id;
    }

    public void DeleteVertexArray(uint vertexArray) => _deleteVertexArrays(1, &vertexArray);
    public void BindVertexArray(uint vertexArray) => _bindVertexArray(vertexArray);

    /// <summary>glVertexAttribPointer for float attributes at <paramref name="byteOffset"/> into the bound ARRAY_BUFFER.</summary>
    public void VertexAttribPointer(uint index, int componentCount, int strideBytes, int byteOffset) =>
        _vertexAttribPointer(index, componentCount, FLOAT, 0, strideBytes, byteOffset);

    public void EnableVertexAttribArray(uint index) => _enableVertexAttribArray(index);
    public void Viewport(int x, int y, int width, int height) => _viewport(x, y, width, height);
    public void Scissor(int x, int y, int width, int height) => _scissor(x, y, width, height);
    public void Enable(uint capability) => _enable(capability);
    public void Disable(uint capability) => _disable(capability);
    public void ClearColor(float red, float green, float blue, float alpha) => _clearColor(red, green, blue, alpha);
    public void Clear(uint mask) => _clear(mask);

    public void BlendFuncSeparate(uint sourceRgb, uint destinationRgb, uint sourceAlpha, uint destinationAlpha) =>
        _blendFuncSeparate(sourceRgb, destinationRgb, sourceAlpha, destinationAlpha);

    public void DrawArrays(uint mode, int first, int count) => _drawArrays(mode, first, count);
    public void PixelStore(uint name, int value) => _pixelStorei(name, value);
    public void ProgramUniform(uint program, int location, float x, float y) => _programUniform2f(program, location, x, y);

    /// <summary>Allocates and fills the buffer bound to <paramref name="target"/> with <paramref name="data"/>.</summary>
    public void BufferData<T>(uint target, ReadOnlySpan<T> data, uint usage) where T : unmanaged
    {
        fixed (T* p = data) _bufferData(target, (nint)((long)data.Length * sizeof(T)), p, usage);
    }

    /// <summary>glTexImage2D with any internal format; <paramref name="pixels"/> empty allocates uninitialised storage.</summary>
    public void TexImage2D(uint target, uint internalFormat, int width, int height, uint format, uint type, ReadOnlySpan<byte> pixels)
    {
        fixed (byte* p = pixels) _texImage2D(target, 0, (int)internalFormat, width, height, 0, format, type, pixels.IsEmpty ? null : p);
    }

    public void TexSubImage2D(uint target, int x, int y, int width, int height, uint format, uint type, ReadOnlySpan<byte> pixels)
    {
        fixed (byte* p = pixels) _texSubImage2D(target, 0, x, y, width, height, format, type, p);
    }

    /// <summary>glReadPixels of the current read framebuffer into <paramref name="destination"/> (rows bottom-up).</summary>
    public void ReadPixels(int x, int y, int width, int height, uint format, uint type, Span<byte> destination)
    {
        fixed (byte* p = destination) _readPixels(x, y, width, height, format, type, p);
    }

    /// <summary>glGetTexImage of level 0 of the texture bound to <paramref name="target"/> (rows bottom-up).</summary>
    public void GetTexImage(uint target, uint format, uint type, Span<byte> destination)
    {
        fixed (byte* p = destination) _getTexImage(target, 0, format, type, p);
    }
}
