using System.Runtime.InteropServices;
using System.Text;

namespace VisionPlugin.Host.Capture.Native;

/// <summary>
/// Loads <c>libvp_opencv_shim.so</c> (Host/Native/opencv_shim, a C ABI over OpenCV 4.6) from the Host assembly's directory
/// and holds its entry points as unmanaged function pointers. The shim never lets a C++ exception out: every call returns
/// 0 (OK), 1 (an expected "no": not opened, no frame) or a negative code with a thread-local message, which
/// <see cref="Check"/> turns into an <see cref="OpenCvException"/>. Loaded on first use, once per process.
/// </summary>
internal static unsafe class OpenCvShim
{
    /// <summary>The library's file name; the build copies it next to VisionPlugin.Host.dll.</summary>
    public const string LibraryFileName = "libvp_opencv_shim.so";

    public const int Ok = 0;
    public const int False = 1;
    public const int ErrorTooSmall = -4;
    private const int LogLevelError = 2;

    private static readonly Lazy<EntryPoints> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The entry points; throws <see cref="DllNotFoundException"/> naming the path when the shim is missing.</summary>
    public static EntryPoints Api => Loaded.Value;

    /// <summary>Where the shim is looked for: the directory of VisionPlugin.Host.dll.</summary>
    public static string LibraryPath =>
        Path.Combine(Path.GetDirectoryName(typeof(OpenCvShim).Assembly.Location) ?? AppContext.BaseDirectory, LibraryFileName);

    /// <summary>Returns <paramref name="code"/> when it is OK or False; throws with the shim's message otherwise.</summary>
    public static int Check(int code, string operation)
    {
        if (code >= 0) return code;
        string message = Marshal.PtrToStringUTF8((nint)Api.LastError()) ?? "";
        throw new OpenCvException(operation, code, message.Length > 0 ? message : $"error code {code}");
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/> for the shim's <c>const char*</c> parameters.</summary>
    public static byte[] Utf8(string text)
    {
        if (text.Contains('\0')) throw new ArgumentException("Text for OpenCV must not contain NUL characters.", nameof(text));
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static EntryPoints Load()
    {
        string path = LibraryPath;
        if (!File.Exists(path))
            throw new DllNotFoundException($"The OpenCV shim {path} is missing: run scripts/setup.sh (it builds Host/Native/opencv_shim with CMake), then rebuild.");
        nint library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException($"Could not load the OpenCV shim {path} ({e.Message}); run scripts/setup.sh to install OpenCV 4.6.", e);
        }
        var entryPoints = new EntryPoints(library);
        // OpenCV warns on the console for routine events (a GStreamer pipeline without a duration, a camera probe);
        // keep errors only unless the user asked for a level with OPENCV_LOG_LEVEL.
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") is null) entryPoints.SetLogLevel(LogLevelError);
        return entryPoints;
    }

    /// <summary>The shim's exports (signatures and contracts documented in opencv_shim.cpp).</summary>
    internal sealed class EntryPoints(nint library)
    {
        public readonly delegate* unmanaged<byte*> LastError = (delegate* unmanaged<byte*>)Get(library, "vp_last_error");
        public readonly delegate* unmanaged<int, int> SetLogLevel = (delegate* unmanaged<int, int>)Get(library, "vp_set_log_level");
        public readonly delegate* unmanaged<int, int, nint*, int> CaptureOpenIndex = (delegate* unmanaged<int, int, nint*, int>)Get(library, "vp_capture_open_index");
        public readonly delegate* unmanaged<byte*, int, int*, int, nint*, int> CaptureOpenSource = (delegate* unmanaged<byte*, int, int*, int, nint*, int>)Get(library, "vp_capture_open_source");
        public readonly delegate* unmanaged<nint, nint, int> CaptureRead = (delegate* unmanaged<nint, nint, int>)Get(library, "vp_capture_read");
        public readonly delegate* unmanaged<nint, int, double*, int> CaptureGet = (delegate* unmanaged<nint, int, double*, int>)Get(library, "vp_capture_get");
        public readonly delegate* unmanaged<nint, int, double, int> CaptureSet = (delegate* unmanaged<nint, int, double, int>)Get(library, "vp_capture_set");
        public readonly delegate* unmanaged<nint, byte*, int, int> CaptureBackendName = (delegate* unmanaged<nint, byte*, int, int>)Get(library, "vp_capture_backend_name");
        public readonly delegate* unmanaged<nint, void> CaptureRelease = (delegate* unmanaged<nint, void>)Get(library, "vp_capture_release");
        public readonly delegate* unmanaged<byte*, byte*, double, int, int, nint*, int> WriterOpen = (delegate* unmanaged<byte*, byte*, double, int, int, nint*, int>)Get(library, "vp_writer_open");
        public readonly delegate* unmanaged<nint, byte*, long, int, int, int, int> WriterWrite = (delegate* unmanaged<nint, byte*, long, int, int, int, int>)Get(library, "vp_writer_write");
        public readonly delegate* unmanaged<nint, void> WriterRelease = (delegate* unmanaged<nint, void>)Get(library, "vp_writer_release");
        public readonly delegate* unmanaged<nint*, int> MatCreate = (delegate* unmanaged<nint*, int>)Get(library, "vp_mat_create");
        public readonly delegate* unmanaged<nint, int*, int*, int*, int> MatSize = (delegate* unmanaged<nint, int*, int*, int*, int>)Get(library, "vp_mat_size");
        public readonly delegate* unmanaged<nint, byte*, long, int, int> MatCopyTo = (delegate* unmanaged<nint, byte*, long, int, int>)Get(library, "vp_mat_copy_to");
        public readonly delegate* unmanaged<nint, void> MatRelease = (delegate* unmanaged<nint, void>)Get(library, "vp_mat_release");
        public readonly delegate* unmanaged<byte*, long, long, int, nint, int> ImDecode = (delegate* unmanaged<byte*, long, long, int, nint, int>)Get(library, "vp_imdecode");
        public readonly delegate* unmanaged<byte*, byte*, long, int, int, int, int, byte*, long, long*, int> ImEncode =
            (delegate* unmanaged<byte*, byte*, long, int, int, int, int, byte*, long, long*, int>)Get(library, "vp_imencode");
        public readonly delegate* unmanaged<byte*, int, double, int, int*, int*, int*, int> GetTextSize =
            (delegate* unmanaged<byte*, int, double, int, int*, int*, int*, int>)Get(library, "vp_get_text_size");
        public readonly delegate* unmanaged<byte*, int, double, int, byte*, long, int, int, int, int, int, int> PutTextAlpha =
            (delegate* unmanaged<byte*, int, double, int, byte*, long, int, int, int, int, int, int>)Get(library, "vp_put_text_alpha");

        private static nint Get(nint library, string name) => NativeLibrary.GetExport(library, name);
    }
}
