#pragma once
// libjpeg decodes a damaged JPEG (bytes cut out of the middle, a scan that ends early) to an image
// with a grey or smeared part and only prints "Corrupt JPEG data: premature end of data segment";
// OpenCV then returns the image as if nothing happened. This check runs libjpeg's entropy decoder
// over every scan with those warnings made errors, so that damaged data is refused, not shown.
#include <filesystem>
#include <vector>

namespace saliency {

// Throws FileError "corrupt JPEG data: <libjpeg's message>" when the compressed data is damaged.
// Cost: the entropy decoding of the file, without the inverse DCT and colour conversion.
void verifyJpegData(const std::filesystem::path& path, const std::vector<unsigned char>& bytes);

}  // namespace saliency
