// The process environment, in UTF-8 on every platform.
#pragma once

#include <optional>
#include <string>

namespace calloutemu::test {

// The value of an environment variable; nullopt when it is not set.
std::optional<std::string> get_env(const std::string& name);

// Sets an environment variable, or with nullopt removes it.
void set_env(const std::string& name, const std::optional<std::string>& value);

}  // namespace calloutemu::test
