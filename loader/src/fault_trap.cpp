#include <exception>

#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::loader {

void call_catching_exceptions(void (*fn)(void*), void* context, std::optional<Fault>& fault) {
  try {
    fn(context);
  } catch (const std::exception& error) {
    fault.emplace(std::string("C++ exception: ") + error.what(), 0, 0);
  } catch (...) {
    fault.emplace("C++ exception of unknown type", 0, 0);
  }
}

std::optional<Fault> call_catching_exceptions(void (*fn)(void*), void* context) {
  std::optional<Fault> fault;
  call_catching_exceptions(fn, context, fault);
  return fault;
}

}  // namespace calloutemu::loader
