#include <exception>

#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::loader {

std::optional<Fault> call_catching_exceptions(void (*fn)(void*), void* context) {
  try {
    fn(context);
  } catch (const std::exception& error) {
    return Fault{std::string("C++ exception: ") + error.what(), 0, 0};
  } catch (...) {
    return Fault{"C++ exception of unknown type", 0, 0};
  }
  return std::nullopt;
}

}  // namespace calloutemu::loader
