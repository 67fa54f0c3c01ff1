#include "byte_run.h"

namespace calloutemu::server {

bool all_bytes_are(const std::uint8_t* bytes, std::size_t length, std::uint8_t value) {
  return all_bytes_are_portable(bytes, length, value);
}

}  // namespace calloutemu::server
