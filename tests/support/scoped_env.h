// An environment variable set (or unset) for the lifetime of an object.
#pragma once

#include <optional>
#include <string>

namespace calloutemu::test {

// Sets (or, with nullopt, unsets) an environment variable for its lifetime,
// then restores the value it had before.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace calloutemu::test
