#include <array>
#include <cstdio>
#include <string>
#include <string_view>

#include "calloutemu/loader/hook_table.h"
#include "calloutemu/reports/fault_text.h"
#include "calloutemu/reports/junit_writer.h"
#include "text_format.h"

namespace calloutemu::reports {
namespace {

using loader::Hook;

std::string hex32(DWORD value) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "0x%08x", static_cast<unsigned>(value));
  return buffer.data();
}

// The code in parentheses, or nothing for hooks called without one.
std::string code_text(Hook hook, DWORD code) {
  std::string_view name;
  switch (hook) {
    case Hook::control:
      name = loader::control_code_name(code);
      break;
    case Hook::pkt_drop:
      name = loader::drop_code_name(code);
      break;
    case Hook::pkt_send:
    case Hook::address_del:
    case Hook::address_offer:
      name = loader::address_code_name(code);
      break;
    case Hook::new_pkt:
    case Hook::handle_options:
    case Hook::delete_client:
      return {};
  }
  return '(' + (name == "unknown" ? hex32(code) : std::string(name)) + ')';
}

std::string result_text(const loader::HookCall& call) {
  if (!call.called) {
    return "not called";
  }
  if (call.fault) {
    return "crashed: " + fault_summary(*call.fault);
  }
  if (call.returned == 0) {
    return "0";
  }
  return std::to_string(call.returned) + " (" + hex32(call.returned) + ')';
}

std::string arguments_text(Hook hook, const server::HookArguments& arguments) {
  std::string text;
  if (hook == Hook::new_pkt && arguments.process_it && *arguments.process_it == 0) {
    text += ", ProcessIt=FALSE";
  }
  if (arguments.replaced) {
    text += ", replaced the packet (" + std::to_string(arguments.packet_after.size()) + " bytes)";
  }
  if (hook == Hook::address_del || hook == Hook::address_offer) {
    text += ", address " + detail::ipv4_text(arguments.alt_address);
  }
  if (hook == Hook::delete_client) {
    text += ", client " + detail::hardware_address_text(arguments.hw_address);
  }
  return text;
}

}  // namespace

std::string hook_line(const server::HookRecord& record) {
  std::string line(loader::to_string(record.hook));
  line += code_text(record.hook, record.code);
  if (record.call != nullptr) {
    line += " -> " + result_text(*record.call);
  }
  if (record.arguments != nullptr) {
    line += arguments_text(record.hook, *record.arguments);
  }
  if (record.call != nullptr && record.call->fault) {
    line += fault_backtrace_lines(*record.call->fault);
  }
  return line;
}

}  // namespace calloutemu::reports
