#include "output_file.h"

#include <cerrno>
#include <string>
#include <system_error>

namespace calloutemu::reports::detail {

std::string errno_reason(int error_number) {
  return std::generic_category().message(error_number);
}

std::string display_name(const std::filesystem::path& path) {
  const std::u8string utf8 = path.u8string();
  return {utf8.begin(), utf8.end()};
}

Result<OutputFile> OutputFile::open(const std::filesystem::path& path, const char* mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return make_error(errno_reason(EISDIR));
  }
  errno = 0;
  std::FILE* file = open_file(path, mode);
  if (file == nullptr) {
    return make_error(errno_reason(errno != 0 ? errno : EIO));
  }
  OutputFile output;
  output.path_ = path;
  output.file_.reset(file);
  return output;
}

Status OutputFile::write(std::string_view bytes) {
  if (!file_) {
    return make_error(display_name(path_) + ": cannot write: the file is closed");
  }
  if (bytes.empty()) {
    return {};
  }
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
    const int error_number = errno != 0 ? errno : EIO;
    return make_error(display_name(path_) + ": cannot write: " + errno_reason(error_number));
  }
  return {};
}

Status OutputFile::close() {
  if (!file_) {
    return {};
  }
  errno = 0;
  const bool flushed = std::fflush(file_.get()) == 0 && std::ferror(file_.get()) == 0;
  const int flush_errno = errno;
  const bool closed = std::fclose(file_.release()) == 0;
  if (!flushed || !closed) {
    const int error_number = errno != 0 ? errno : (flush_errno != 0 ? flush_errno : EIO);
    return make_error(display_name(path_) + ": cannot write: " + errno_reason(error_number));
  }
  return {};
}

void remove_quietly(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

}  // namespace calloutemu::reports::detail
