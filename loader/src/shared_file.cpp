// What SharedFile does the same way on every platform; the rest is in
// posix/host_process.cpp and win32/host_process.cpp.
#include <utility>

#include "host_process.h"

namespace calloutemu::loader::host {

SharedFile::SharedFile(SharedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      path_(std::move(other.path_)),
      owner_(std::exchange(other.owner_, false)),
      handle_(std::exchange(other.handle_, 0)) {}

SharedFile& SharedFile::operator=(SharedFile&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    path_ = std::move(other.path_);
    owner_ = std::exchange(other.owner_, false);
    handle_ = std::exchange(other.handle_, 0);
  }
  return *this;
}

SharedFile::~SharedFile() {
  release();
}

}  // namespace calloutemu::loader::host
