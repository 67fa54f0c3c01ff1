#include "line_source.h"

#include <cstring>

namespace calloutemu::trace::detail {

std::unique_ptr<LineSource> LineSource::open(const std::filesystem::path& path) {
#ifdef _WIN32
  std::FILE* file = _wfopen(path.c_str(), L"rb");
#else
  std::FILE* file = std::fopen(path.c_str(), "rb");
#endif
  if (file == nullptr) {
    return nullptr;
  }
  return std::unique_ptr<LineSource>(new LineSource(file));
}

bool LineSource::refill() {
  begin_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_.get());
  return end_ > 0;
}

LineSource::Read LineSource::next(std::string& line, std::size_t limit) {
  line.clear();
  bool any = false;
  for (;;) {
    if (begin_ == end_ && !refill()) {
      if (std::ferror(file_.get()) != 0) {
        return Read::error;
      }
      break;
    }
    any = true;
    const char* start = buffer_.data() + begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) : end_ - begin_;
    if (line.size() + length > limit) {
      return Read::too_long;
    }
    line.append(start, length);
    begin_ += length;
    if (newline != nullptr) {
      ++begin_;
      break;
    }
  }
  if (!any) {
    return Read::end;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return Read::line;
}

}  // namespace calloutemu::trace::detail
