// Decoding an image fully before libharu sees it. libharu hands PNG data to libpng without
// a way back from a decoding error (a damaged PNG aborts the process), and embeds JPEG data
// without decoding it (a damaged JPEG makes a PDF that viewers cannot show). So every image
// is decoded here first, with libpng's and libjpeg's own error recovery.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace recourse::pdf {

// Images larger than this (in pixels) are refused: placed on a page they gain nothing, and
// decoding them costs hundreds of megabytes.
constexpr std::uint64_t kMaxImagePixels = 80'000'000;

// A PNG's pixels as 8-bit RGB, any transparency laid over white (the page's colour). This is
// what goes into a PDF: libharu's own PNG reading fails on some valid files (a palette with
// transparency) and then frees memory twice, so it is never given a PNG. InvalidArgument
// saying what is wrong when the whole image does not decode.
struct RgbImage {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3 bytes, rows top to bottom
};
core::StatusOr<RgbImage> decodePngRgb(const std::vector<std::uint8_t>& bytes);
// OK when the whole image decodes; InvalidArgument saying what is wrong otherwise.
core::Status decodeJpeg(const std::vector<std::uint8_t>& bytes);

}  // namespace recourse::pdf
