// vp_opencv_shim: a C ABI over OpenCV 4.6 for VisionPlugin's host (C# binds it in Host/Capture/Native/OpenCvShim.cs).
//
// Conventions shared by every entry point:
//  - Returns int: VP_OK (0) on success, VP_FALSE (1) for an expected "no" (a capture that did not open, no next frame),
//    or a negative error code. On an error, vp_last_error() returns a message for the calling thread (thread-local,
//    valid until that thread's next shim call). No C++ exception ever crosses the boundary.
//  - Handles (vp_capture*, vp_writer*, vp_mat*) are opaque, created by *_open/_create and freed by *_release, which
//    accept null and are safe to call once per handle. A handle may be used by one thread at a time.
//  - Pixel buffers are caller-owned: rows of `stride` bytes; the shim checks `capacity` >= stride * (height-1) + row bytes.
//  - Pixel layouts: VP_BGR8 (3 bytes B,G,R), VP_BGRA8 (4 bytes), VP_RGBA8 (4 bytes), VP_GRAY8 (1 byte).
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#define VP_EXPORT extern "C" __attribute__((visibility("default")))

constexpr int VP_OK = 0, VP_FALSE = 1, VP_ERR_ARGUMENT = -1, VP_ERR_OPENCV = -2, VP_ERR_NATIVE = -3, VP_ERR_TOO_SMALL = -4;
constexpr int VP_BGR8 = 0, VP_BGRA8 = 1, VP_RGBA8 = 2, VP_GRAY8 = 3;

struct vp_capture { cv::VideoCapture capture; };
struct vp_writer { cv::VideoWriter writer; };
struct vp_mat { cv::Mat mat; };

namespace {
thread_local std::string last_error;

int fail(int code, const std::string& message) { last_error = message; return code; }

// Runs body, turning exceptions into error codes with a message naming the entry point.
template <typename Body> int guarded(const char* entry, Body body) {
    try {
        last_error.clear();
        return body();
    } catch (const cv::Exception& e) {
        return fail(VP_ERR_OPENCV, std::string(entry) + ": OpenCV error: " + e.what());
    } catch (const std::exception& e) {
        return fail(VP_ERR_NATIVE, std::string(entry) + ": " + e.what());
    } catch (...) {
        return fail(VP_ERR_NATIVE, std::string(entry) + ": unknown native exception");
    }
}

int channels_of(int layout) { return layout == VP_GRAY8 ? 1 : layout == VP_BGR8 ? 3 : (layout == VP_BGRA8 || layout == VP_RGBA8) ? 4 : 0; }

// Converts any 8-bit 1/3/4-channel image to `layout` (BGR order in, as OpenCV decodes and captures).
void convert_to(const cv::Mat& source, cv::Mat& target, int layout) {
    static const int from1[] = {cv::COLOR_GRAY2BGR, cv::COLOR_GRAY2BGRA, cv::COLOR_GRAY2RGBA, -1};
    static const int from3[] = {-1, cv::COLOR_BGR2BGRA, cv::COLOR_BGR2RGBA, cv::COLOR_BGR2GRAY};
    static const int from4[] = {cv::COLOR_BGRA2BGR, -1, cv::COLOR_BGRA2RGBA, cv::COLOR_BGRA2GRAY};
    if (source.depth() != CV_8U) throw std::invalid_argument("image depth is not 8-bit (type " + std::to_string(source.type()) + ")");
    const int* table = source.channels() == 1 ? from1 : source.channels() == 3 ? from3 : source.channels() == 4 ? from4 : nullptr;
    if (!table) throw std::invalid_argument("image has " + std::to_string(source.channels()) + " channels");
    if (table[layout] < 0) source.copyTo(target); else cv::cvtColor(source, target, table[layout]);
}

bool buffer_fits(int64_t capacity, int width, int height, int stride, int channels) {
    return width > 0 && height > 0 && stride >= width * channels && capacity >= int64_t(stride) * (height - 1) + int64_t(width) * channels;
}
}  // namespace

// The calling thread's message for its last failed call ("" when none). Never null.
VP_EXPORT const char* vp_last_error() { return last_error.c_str(); }

// Sets OpenCV's console log level (cv::utils::logging::LogLevel: 0 silent, 2 error, 3 warning, 4 info ...).
VP_EXPORT int vp_set_log_level(int level) {
    return guarded("vp_set_log_level", [&] {
        if (level < 0 || level > 6) return fail(VP_ERR_ARGUMENT, "vp_set_log_level: level outside 0..6");
        cv::utils::logging::setLogLevel(static_cast<cv::utils::logging::LogLevel>(level));
        return VP_OK;
    });
}

// ---- VideoCapture -------------------------------------------------------------------------------------------------
// Opens camera `index` with backend `api` (cv::CAP_ANY = 0, CAP_V4L2 = 200, ...). VP_OK and *out set when opened;
// VP_FALSE and *out = null when OpenCV reports not-opened (no such camera).
VP_EXPORT int vp_capture_open_index(int index, int api, vp_capture** out) {
    return guarded("vp_capture_open_index", [&] {
        if (!out) return fail(VP_ERR_ARGUMENT, "vp_capture_open_index: out is null");
        *out = nullptr;
        auto* handle = new vp_capture();
        if (!handle->capture.open(index, api)) { delete handle; return VP_FALSE; }
        *out = handle;
        return VP_OK;
    });
}

// Opens a file, URL or pipeline `source` (UTF-8) with backend `api` (CAP_ANY, CAP_FFMPEG = 1900, CAP_GSTREAMER = 1800)
// and optional open parameters as (property id, value) pairs (`params` has 2 * pair_count ints; null when none),
// e.g. CAP_PROP_OPEN_TIMEOUT_MSEC. Returns as vp_capture_open_index.
VP_EXPORT int vp_capture_open_source(const char* source, int api, const int* params, int pair_count, vp_capture** out) {
    return guarded("vp_capture_open_source", [&] {
        if (!out || !source || pair_count < 0 || (pair_count > 0 && !params)) return fail(VP_ERR_ARGUMENT, "vp_capture_open_source: null argument");
        *out = nullptr;
        std::vector<int> open_params(params, params + 2 * pair_count);
        auto* handle = new vp_capture();
        if (!handle->capture.open(source, api, open_params)) { delete handle; return VP_FALSE; }
        *out = handle;
        return VP_OK;
    });
}

// Grabs and decodes the next frame into `frame` as BGR8 (grey or BGRA sources are converted). VP_OK when a frame was
// read; VP_FALSE when there is none (end of file, lost stream, camera gone) — `frame` is then left empty.
VP_EXPORT int vp_capture_read(vp_capture* capture, vp_mat* frame) {
    return guarded("vp_capture_read", [&] {
        if (!capture || !frame) return fail(VP_ERR_ARGUMENT, "vp_capture_read: null handle");
        cv::Mat& mat = frame->mat;
        if (!capture->capture.read(mat) || mat.empty()) { mat.release(); return VP_FALSE; }
        if (mat.type() != CV_8UC3) { cv::Mat bgr; convert_to(mat, bgr, VP_BGR8); mat = bgr; }
        return VP_OK;
    });
}

// cv::VideoCapture::get(property) into *value (0 when the backend does not know the property).
VP_EXPORT int vp_capture_get(vp_capture* capture, int property, double* value) {
    return guarded("vp_capture_get", [&] {
        if (!capture || !value) return fail(VP_ERR_ARGUMENT, "vp_capture_get: null argument");
        *value = capture->capture.get(property);
        return VP_OK;
    });
}

// cv::VideoCapture::set(property, value): VP_OK when the backend accepted it, VP_FALSE otherwise.
VP_EXPORT int vp_capture_set(vp_capture* capture, int property, double value) {
    return guarded("vp_capture_set", [&] {
        if (!capture) return fail(VP_ERR_ARGUMENT, "vp_capture_set: null handle");
        return capture->capture.set(property, value) ? VP_OK : VP_FALSE;
    });
}

// The backend's name ("FFMPEG", "GSTREAMER", "V4L2") copied NUL-terminated into `name` (capacity bytes).
VP_EXPORT int vp_capture_backend_name(vp_capture* capture, char* name, int capacity) {
    return guarded("vp_capture_backend_name", [&] {
        if (!capture || !name || capacity < 1) return fail(VP_ERR_ARGUMENT, "vp_capture_backend_name: null argument");
        std::string backend = capture->capture.getBackendName();
        std::strncpy(name, backend.c_str(), size_t(capacity - 1));
        name[capacity - 1] = '\0';
        return VP_OK;
    });
}

VP_EXPORT void vp_capture_release(vp_capture* capture) {
    guarded("vp_capture_release", [&] { delete capture; return VP_OK; });
}

// ---- VideoWriter --------------------------------------------------------------------------------------------------
// Opens `path` (UTF-8; the container follows the extension, e.g. .mp4) for BGR8 frames of width x height at `fps`,
// codec `fourcc` (4 ASCII characters, e.g. "mp4v"). VP_OK with *out set, or VP_FALSE when OpenCV could not open it.
VP_EXPORT int vp_writer_open(const char* path, const char* fourcc, double fps, int width, int height, vp_writer** out) {
    return guarded("vp_writer_open", [&] {
        if (!out || !path || !fourcc || std::strlen(fourcc) != 4) return fail(VP_ERR_ARGUMENT, "vp_writer_open: null argument or fourcc not 4 characters");
        *out = nullptr;
        if (width < 1 || height < 1 || !(fps > 0)) return fail(VP_ERR_ARGUMENT, "vp_writer_open: size and fps must be positive");
        auto* handle = new vp_writer();
        int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        if (!handle->writer.open(path, cv::CAP_FFMPEG, code, fps, cv::Size(width, height), true)) { delete handle; return VP_FALSE; }
        *out = handle;
        return VP_OK;
    });
}

// Writes one BGR8 frame (rows of `stride` bytes; `capacity` bytes readable). Its size must equal the writer's size.
VP_EXPORT int vp_writer_write(vp_writer* writer, const uint8_t* bgr, int64_t capacity, int width, int height, int stride) {
    return guarded("vp_writer_write", [&] {
        if (!writer || !bgr) return fail(VP_ERR_ARGUMENT, "vp_writer_write: null argument");
        if (!buffer_fits(capacity, width, height, stride, 3)) return fail(VP_ERR_ARGUMENT, "vp_writer_write: buffer smaller than its size and stride");
        writer->writer.write(cv::Mat(height, width, CV_8UC3, const_cast<uint8_t*>(bgr), size_t(stride)));
        return VP_OK;
    });
}

// Finishes the file (writes the container index) and frees the writer.
VP_EXPORT void vp_writer_release(vp_writer* writer) {
    guarded("vp_writer_release", [&] { if (writer) writer->writer.release(); delete writer; return VP_OK; });
}

// ---- Mat (an image owned by the shim) -----------------------------------------------------------------------------
VP_EXPORT int vp_mat_create(vp_mat** out) {
    return guarded("vp_mat_create", [&] {
        if (!out) return fail(VP_ERR_ARGUMENT, "vp_mat_create: out is null");
        *out = new vp_mat();
        return VP_OK;
    });
}

// Size and channel count of `mat` (0 x 0 when empty).
VP_EXPORT int vp_mat_size(vp_mat* mat, int* width, int* height, int* channels) {
    return guarded("vp_mat_size", [&] {
        if (!mat || !width || !height || !channels) return fail(VP_ERR_ARGUMENT, "vp_mat_size: null argument");
        *width = mat->mat.cols; *height = mat->mat.rows; *channels = mat->mat.channels();
        return VP_OK;
    });
}

// Copies `mat` (8-bit, as-is, no conversion) into a caller buffer with rows of `stride` bytes.
VP_EXPORT int vp_mat_copy_to(vp_mat* mat, uint8_t* target, int64_t capacity, int stride) {
    return guarded("vp_mat_copy_to", [&] {
        if (!mat || !target || mat->mat.empty()) return fail(VP_ERR_ARGUMENT, "vp_mat_copy_to: null argument or empty mat");
        const cv::Mat& m = mat->mat;
        if (!buffer_fits(capacity, m.cols, m.rows, stride, int(m.elemSize()))) return fail(VP_ERR_TOO_SMALL, "vp_mat_copy_to: target buffer too small");
        m.copyTo(cv::Mat(m.rows, m.cols, m.type(), target, size_t(stride)));
        return VP_OK;
    });
}

VP_EXPORT void vp_mat_release(vp_mat* mat) {
    guarded("vp_mat_release", [&] { delete mat; return VP_OK; });
}

// ---- imgcodecs ----------------------------------------------------------------------------------------------------
// cv::imdecode of a whole in-memory file into `image` converted to `layout`. The caller checks size limits from the
// header BEFORE calling (OpenCV 4.6 has no header-only API); `max_bytes` refuses larger inputs outright.
// VP_OK, or VP_FALSE when OpenCV cannot decode the data (unknown format, damaged).
VP_EXPORT int vp_imdecode(const uint8_t* data, int64_t length, int64_t max_bytes, int layout, vp_mat* image) {
    return guarded("vp_imdecode", [&] {
        if (!data || !image || channels_of(layout) == 0) return fail(VP_ERR_ARGUMENT, "vp_imdecode: null argument or unknown layout");
        if (length < 1 || length > max_bytes || length > INT32_MAX) return fail(VP_ERR_ARGUMENT, "vp_imdecode: " + std::to_string(length) + " bytes is outside 1.." + std::to_string(max_bytes));
        cv::Mat decoded = cv::imdecode(cv::Mat(1, int(length), CV_8UC1, const_cast<uint8_t*>(data)), cv::IMREAD_UNCHANGED);
        if (decoded.empty()) { image->mat.release(); return VP_FALSE; }
        if (decoded.depth() != CV_8U) { cv::Mat eight; decoded.convertTo(eight, CV_8U, decoded.depth() == CV_16U ? 1.0 / 257 : 1.0); decoded = eight; }
        convert_to(decoded, image->mat, layout);
        return VP_OK;
    });
}

// cv::imencode of a BGR8 image as `extension` (".jpg", ".png") with `quality` for JPEG (1..100) into `target`.
// *written receives the encoded length; VP_ERR_TOO_SMALL (with *written = the length needed) when it does not fit.
VP_EXPORT int vp_imencode(const char* extension, const uint8_t* bgr, int64_t capacity, int width, int height, int stride,
                          int quality, uint8_t* target, int64_t target_capacity, int64_t* written) {
    return guarded("vp_imencode", [&] {
        if (!extension || !bgr || !target || !written) return fail(VP_ERR_ARGUMENT, "vp_imencode: null argument");
        if (!buffer_fits(capacity, width, height, stride, 3)) return fail(VP_ERR_ARGUMENT, "vp_imencode: buffer smaller than its size and stride");
        std::vector<uchar> encoded;
        std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, quality};
        if (!cv::imencode(extension, cv::Mat(height, width, CV_8UC3, const_cast<uint8_t*>(bgr), size_t(stride)), encoded, params))
            return fail(VP_ERR_OPENCV, std::string("vp_imencode: OpenCV could not encode ") + extension);
        *written = int64_t(encoded.size());
        if (*written > target_capacity) return fail(VP_ERR_TOO_SMALL, "vp_imencode: target buffer too small");
        std::memcpy(target, encoded.data(), encoded.size());
        return VP_OK;
    });
}

// ---- Text (Hershey fonts: printable ASCII only) ------------------------------------------------------------------
// cv::getTextSize: box *width x *height above the baseline and *baseline pixels below it.
VP_EXPORT int vp_get_text_size(const char* text, int font_face, double font_scale, int thickness, int* width, int* height, int* baseline) {
    return guarded("vp_get_text_size", [&] {
        if (!text || !width || !height || !baseline) return fail(VP_ERR_ARGUMENT, "vp_get_text_size: null argument");
        cv::Size size = cv::getTextSize(text, font_face, font_scale, thickness, baseline);
        *width = size.width; *height = size.height;
        return VP_OK;
    });
}

// cv::putText with LINE_AA and colour 255 into a caller-owned 8-bit single-channel buffer (alpha coverage),
// the text's baseline starting at (origin_x, origin_y). Ink outside the buffer is clipped.
VP_EXPORT int vp_put_text_alpha(const char* text, int font_face, double font_scale, int thickness,
                                uint8_t* alpha, int64_t capacity, int width, int height, int stride, int origin_x, int origin_y) {
    return guarded("vp_put_text_alpha", [&] {
        if (!text || !alpha) return fail(VP_ERR_ARGUMENT, "vp_put_text_alpha: null argument");
        if (!buffer_fits(capacity, width, height, stride, 1)) return fail(VP_ERR_ARGUMENT, "vp_put_text_alpha: buffer smaller than its size and stride");
        cv::Mat target(height, width, CV_8UC1, alpha, size_t(stride));
        cv::putText(target, text, cv::Point(origin_x, origin_y), font_face, font_scale, cv::Scalar(255), thickness, cv::LINE_AA);
        return VP_OK;
    });
}
