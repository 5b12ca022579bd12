using VisionPlugin.Engine.Binding;

namespace VisionPlugin.Demos;

/// <summary>
/// The host application's own rendering (nothing of the plugin): an animated procedural scene drawn by a
/// full-screen triangle into the app's own framebuffer object, whose colour texture the plugin then classifies.
/// Scenes: 0 "sunset" (sky gradient, sinking sun, waves), 1 "checkerboard" (rotating, zooming), 2 "ripples".
/// </summary>
internal sealed class SceneRenderer : IDisposable
{
    public static readonly string[] SceneNames = ["sunset", "checkerboard", "ripples"];

    private const string VertexSource = """
        #version 430 core
        out vec2 uv;
        void main() { vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2); uv = p; gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }
        """;

    private const string FragmentSource = """
        #version 430 core
        in vec2 uv;
        out vec4 color;
        uniform int scene;
        uniform float time;
        void main() {
            vec2 p = uv - 0.5;
            if (scene == 0) {
                vec3 sky = mix(vec3(0.95, 0.45, 0.15), vec3(0.25, 0.1, 0.45), uv.y);
                float sun = smoothstep(0.16, 0.15, length(p - vec2(0.1 * sin(time), 0.05 - 0.1 * fract(time * 0.1))));
                float sea = step(uv.y, 0.35 + 0.02 * sin(uv.x * 30.0 + time * 3.0));
                color = vec4(mix(mix(sky, vec3(1.0, 0.85, 0.3), sun), vec3(0.05, 0.15, 0.35), sea), 1.0);
            } else if (scene == 1) {
                float a = time * 0.5, s = 6.0 + 2.0 * sin(time * 0.7);
                vec2 q = mat2(cos(a), -sin(a), sin(a), cos(a)) * p * s;
                float c = mod(floor(q.x) + floor(q.y), 2.0);
                color = vec4(mix(vec3(0.1), vec3(0.95, 0.95, 0.9), c), 1.0);
            } else {
                float r = length(p - 0.1 * vec2(sin(time), cos(time * 1.3)));
                float w = 0.5 + 0.5 * sin(r * 60.0 - time * 6.0);
                color = vec4(mix(vec3(0.0, 0.35, 0.3), vec3(0.3, 0.95, 0.8), w), 1.0);
            }
        }
        """;

    private readonly GL _gl;
    private readonly uint _program, _vertexArray, _framebuffer, _texture;

    public SceneRenderer(GL gl, int width, int height)
    {
        _gl = gl;
        Width = width;
        Height = height;
        _program = Link(Compile(GL.VERTEX_SHADER, VertexSource), Compile(GL.FRAGMENT_SHADER, FragmentSource));
        _vertexArray = gl.GenVertexArray();
        _texture = gl.GenTexture();
        gl.BindTexture(GL.TEXTURE_2D, _texture);
        gl.TexImage2D(GL.TEXTURE_2D, GL.RGBA8, width, height, GL.RGBA, GL.UNSIGNED_BYTE, ReadOnlySpan<byte>.Empty);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MIN_FILTER, (int)GL.LINEAR);
        gl.TexParameter(GL.TEXTURE_2D, GL.TEXTURE_MAG_FILTER, (int)GL.LINEAR);
        gl.BindTexture(GL.TEXTURE_2D, 0);
        _framebuffer = gl.GenFramebuffer();
        gl.BindFramebuffer(GL.FRAMEBUFFER, _framebuffer);
        gl.FramebufferTexture2D(GL.FRAMEBUFFER, GL.COLOR_ATTACHMENT0, GL.TEXTURE_2D, _texture, 0);
        if (gl.CheckFramebufferStatus(GL.FRAMEBUFFER) != GL.FRAMEBUFFER_COMPLETE) throw new InvalidOperationException("Scene framebuffer incomplete.");
        gl.BindFramebuffer(GL.FRAMEBUFFER, 0);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The colour texture the scene is rendered into (GL convention: bottom row first).</summary>
    public uint Texture => _texture;

    /// <summary>Draws scene <paramref name="scene"/> at <paramref name="time"/> seconds into the app's framebuffer.</summary>
    public void Render(int scene, float time) => Draw(scene, time, _framebuffer, 0, 0, Width, Height);

    /// <summary>Draws the same scene into the window (default framebuffer) at the given viewport.</summary>
    public void RenderToWindow(int scene, float time, int x, int y, int width, int height) => Draw(scene, time, 0, x, y, width, height);

    private void Draw(int scene, float time, uint framebuffer, int x, int y, int width, int height)
    {
        _gl.BindFramebuffer(GL.FRAMEBUFFER, framebuffer);
        _gl.Viewport(x, y, width, height);
        _gl.Disable(GL.BLEND);
        _gl.UseProgram(_program);
        _gl.ProgramUniform(_program, _gl.GetUniformLocation(_program, "scene"), scene);
        _gl.ProgramUniform(_program, _gl.GetUniformLocation(_program, "time"), time);
        _gl.BindVertexArray(_vertexArray);
        _gl.DrawArrays(GL.TRIANGLES, 0, 3);
        _gl.BindVertexArray(0);
        _gl.BindFramebuffer(GL.FRAMEBUFFER, 0);
    }

    /// <summary>Reads the rendered scene back as RGBA rows, top row first (used only to capture training samples).</summary>
    public byte[] ReadRgba()
    {
        var pixels = new byte[Width * Height * 4];
        _gl.BindFramebuffer(GL.FRAMEBUFFER, _framebuffer);
        _gl.PixelStore(GL.PACK_ALIGNMENT, 1);
        _gl.ReadPixels(0, 0, Width, Height, GL.RGBA, GL.UNSIGNED_BYTE, pixels);
        _gl.BindFramebuffer(GL.FRAMEBUFFER, 0);
        var flipped = new byte[pixels.Length];
        int row = Width * 4;
        for (int y = 0; y < Height; y++) pixels.AsSpan((Height - 1 - y) * row, row).CopyTo(flipped.AsSpan(y * row));
        return flipped;
    }

    private uint Compile(uint type, string source)
    {
        uint shader = _gl.CreateShader(type);
        _gl.ShaderSource(shader, source);
        _gl.CompileShader(shader);
        if (_gl.GetShader(shader, GL.COMPILE_STATUS) == 0) throw new InvalidOperationException("Scene shader: " + _gl.GetShaderInfoLog(shader));
        return shader;
    }

    private uint Link(uint vertex, uint fragment)
    {
        uint program = _gl.CreateProgram();
        _gl.AttachShader(program, vertex);
        _gl.AttachShader(program, fragment);
        _gl.LinkProgram(program);
        _gl.DeleteShader(vertex);
        _gl.DeleteShader(fragment);
        if (_gl.GetProgram(program, GL.LINK_STATUS) == 0) throw new InvalidOperationException("Scene program: " + _gl.GetProgramInfoLog(program));
        return program;
    }

    public void Dispose()
    {
        _gl.DeleteFramebuffer(_framebuffer);
        _gl.DeleteTexture(_texture);
        _gl.DeleteVertexArray(_vertexArray);
        _gl.DeleteProgram(_program);
    }
}
