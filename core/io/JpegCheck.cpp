#include "io/JpegCheck.h"

#include <csetjmp>
#include <cstdio>
#include <string>

#include <jpeglib.h>
// After jpeglib.h: the message codes.
#include <jerror.h>

#include "common/Error.h"

namespace saliency {

namespace {

// libjpeg's message codes for damaged data (jerror.h). Other warnings (an unknown JFIF version, an
// odd but decodable progression) describe files that decode correctly and stay warnings.
bool isDamage(int code) {
    return code == JWRN_HIT_MARKER || code == JWRN_JPEG_EOF || code == JWRN_MUST_RESYNC ||
           code == JWRN_HUFF_BAD_CODE;
}

// libjpeg reports through callbacks and ends a failed decode with longjmp: the manager carries
// the jump target and the message. Nothing with a destructor lives between setjmp and longjmp.
struct ErrorManager {
    jpeg_error_mgr base{};
    std::jmp_buf jump{};
    std::string message;
};

[[noreturn]] void fail(j_common_ptr cinfo) {
    auto* manager = reinterpret_cast<ErrorManager*>(cinfo->err);
    char text[JMSG_LENGTH_MAX] = {};
    (*cinfo->err->format_message)(cinfo, text);
    manager->message = text;
    std::longjmp(manager->jump, 1);
}

void onMessage(j_common_ptr cinfo, int level) {
    if (level < 0 && isDamage(cinfo->err->msg_code))
        fail(cinfo);
}

// Returns the error message, or an empty string when the data decoded cleanly.
std::string entropyDecode(const std::vector<unsigned char>& bytes) {
    jpeg_decompress_struct cinfo{};
    ErrorManager errors;
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = fail;
    errors.base.emit_message = onMessage;
    if (setjmp(errors.jump) != 0) {
        jpeg_destroy_decompress(&cinfo);
        return errors.message.empty() ? std::string("libjpeg failed") : errors.message;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    jpeg_read_coefficients(&cinfo);  // every scan, to its end
    jpeg_finish_decompress(&cinfo);  // on to the end-of-image marker
    jpeg_destroy_decompress(&cinfo);
    return {};
}

}  // namespace

void verifyJpegData(const std::filesystem::path& path, const std::vector<unsigned char>& bytes) {
    if (const std::string problem = entropyDecode(bytes); !problem.empty())
        throw FileError(path, "corrupt JPEG data, refused (" + problem + ")");
}

}  // namespace saliency
