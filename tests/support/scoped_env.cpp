#include "scoped_env.h"

#include <utility>

#include "environment.h"

namespace calloutemu::test {

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value)
    : name_(std::move(name)), previous_(get_env(name_)) {
  set_env(name_, value);
}

ScopedEnv::~ScopedEnv() {
  set_env(name_, previous_);
}

}  // namespace calloutemu::test
