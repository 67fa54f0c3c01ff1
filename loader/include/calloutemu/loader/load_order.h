// The order in which the server tries the listed DLLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calloutemu::loader {

enum class LoadOrder {
  alphabetical,  // the documented server: sorted as Windows compares paths
  listed,        // the legacy server: the order stored in CalloutDlls
};

std::optional<LoadOrder> parse_load_order(std::string_view text);
std::string_view to_string(LoadOrder order);

// Ordinal comparison after case folding, as Windows compares file names
// (CompareStringOrdinal with IgnoreCase): <0, 0 or >0.
int compare_paths_ignoring_case(std::string_view a, std::string_view b);

// Stable: names that compare equal keep their listed order.
std::vector<std::string> order_for_loading(std::vector<std::string> names, LoadOrder order);

}  // namespace calloutemu::loader
