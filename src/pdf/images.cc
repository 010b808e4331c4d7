#include "pdf/images.h"

// jpeglib.h needs FILE and size_t declared first.
#include <cstddef>
#include <cstdio>
// clang-format off
#include <jpeglib.h>
// clang-format on
#include <png.h>

#include <csetjmp>
#include <cstring>

namespace recourse::pdf {

core::StatusOr<RgbImage> decodePngRgb(const std::vector<std::uint8_t>& bytes) {
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&img, bytes.data(), bytes.size()) == 0) {
    std::string why = img.message;
    png_image_free(&img);
    return core::invalidArgument("image: not a readable PNG file (" + why + ")");
  }
  if (static_cast<std::uint64_t>(img.width) * img.height > kMaxImagePixels) {
    png_image_free(&img);
    return core::invalidArgument("image: the PNG is too large to place on a page (" +
                                 std::to_string(img.width) + " x " + std::to_string(img.height) +
                                 " pixels)");
  }
  img.format = PNG_FORMAT_RGB;  // no alpha: transparent parts are laid over `white`
  png_color white{255, 255, 255};
  RgbImage out;
  out.width = img.width;
  out.height = img.height;
  out.pixels.resize(PNG_IMAGE_SIZE(img));
  if (png_image_finish_read(&img, &white, out.pixels.data(), 0, nullptr) == 0) {
    std::string why = img.message;
    png_image_free(&img);
    return core::invalidArgument("image: the PNG is damaged (" + why + ")");
  }
  return out;
}

namespace {
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void onJpegError(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, err->message);
  std::longjmp(err->jump, 1);
}
void onJpegMessage(j_common_ptr /*info*/) {}  // warnings are counted, not printed
}  // namespace

core::Status decodeJpeg(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) {
    return core::invalidArgument("image: not a readable JPEG file");
  }
  jpeg_decompress_struct info;
  JpegError err;
  std::memset(&info, 0, sizeof info);
  info.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = onJpegError;
  err.mgr.output_message = onJpegMessage;
  err.message[0] = '\0';
  std::vector<JSAMPLE> row;
  // No C++ object with a destructor is created between setjmp and a longjmp to it.
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_decompress(&info);
    return core::invalidArgument(std::string("image: the JPEG is damaged (") + err.message + ")");
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  if (static_cast<std::uint64_t>(info.image_width) * info.image_height > kMaxImagePixels) {
    jpeg_destroy_decompress(&info);
    return core::invalidArgument("image: the JPEG is too large to place on a page");
  }
  jpeg_start_decompress(&info);
  row.resize(static_cast<size_t>(info.output_width) * info.output_components);
  while (info.output_scanline < info.output_height) {
    JSAMPROW r = row.data();
    jpeg_read_scanlines(&info, &r, 1);
  }
  jpeg_finish_decompress(&info);
  const long warnings = err.mgr.num_warnings;
  jpeg_destroy_decompress(&info);
  if (warnings > 0) {
    return core::invalidArgument("image: the JPEG is damaged (its data is incomplete or corrupt)");
  }
  return core::Status::ok();
}

}  // namespace recourse::pdf
