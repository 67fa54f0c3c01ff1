// UTF-8 <-> UTF-16 at the boundaries: names are UTF-8 inside calloutemu, UTF-16 in
// ChainDlls, the registry and the Windows API.
#pragma once

#include <string>
#include <string_view>

#include "calloutemu/result.h"

namespace calloutemu::loader {

// Fails on malformed UTF-8 (overlong forms, surrogates, truncated sequences).
Result<std::u16string> utf8_to_utf16(std::string_view utf8);

// Fails on unpaired surrogates.
Result<std::string> utf16_to_utf8(std::u16string_view utf16);

}  // namespace calloutemu::loader
