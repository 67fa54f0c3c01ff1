#include "libpcap_support.h"

#include <sys/time.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <system_error>

namespace calloutemu::pcap_replay {

void FileCloser::operator()(std::FILE* file) const {
  std::fclose(file);
}

Result<FilePtr> open_file(const std::filesystem::path& path, const char* mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return make_error(errno_reason(EISDIR));
  }
  FilePtr file(std::fopen(path.c_str(), mode));
  if (!file) {
    return make_error(errno_reason(errno));
  }
  return file;
}

std::string errno_reason(int error_number) {
  return std::generic_category().message(error_number);
}

std::chrono::nanoseconds timestamp_from(const timeval& ts) {
  constexpr std::int64_t kBillion = 1'000'000'000;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  // Leaves room for a fraction of up to a second either way.
  constexpr std::int64_t kMaxSeconds = kMax / kBillion - 1;
  // libpcap keeps the fraction under a second; carry anything else over.
  const auto raw_fraction = static_cast<std::int64_t>(ts.tv_usec);
  const std::int64_t carry = raw_fraction / kBillion;
  const std::int64_t fraction = raw_fraction % kBillion;
  const auto seconds = static_cast<std::int64_t>(ts.tv_sec);
  if (seconds > kMaxSeconds - carry) {
    return std::chrono::nanoseconds::max();
  }
  if (seconds < -kMaxSeconds - carry) {
    return std::chrono::nanoseconds::min();
  }
  return std::chrono::nanoseconds((seconds + carry) * kBillion + fraction);
}

}  // namespace calloutemu::pcap_replay
