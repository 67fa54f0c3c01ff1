// Regedit exports (.reg) holding HKLM\System\CurrentControlSet\Services\DHCPServer\Parameters.
#pragma once

#include <filesystem>
#include <string_view>

#include "calloutemu/loader/callout_config.h"
#include "calloutemu/result.h"

namespace calloutemu::loader {

// Reads the file and parses it. Every error names the file (and line, where
// there is one): "callouts.reg:7: CalloutDlls: ...".
Result<CalloutConfig> read_reg_file(const std::filesystem::path& path);

// Parses the raw bytes of an export: "Windows Registry Editor Version 5.00"
// (UTF-16LE with BOM, or 8-bit text) or "REGEDIT4" (ANSI, whose hex(7) strings
// are 8-bit too). `file_name` is used in messages and as the config's source.
Result<CalloutConfig> parse_reg_export(std::string_view bytes, std::string_view file_name);

}  // namespace calloutemu::loader
