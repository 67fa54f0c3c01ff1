#include "hook_sequence.h"

#include <map>

namespace calloutemu::test {
namespace {

const std::map<std::uint32_t, std::string>& code_names() {
  static const std::map<std::uint32_t, std::string> names = {{0x1, "DUPLICATE"},
                                                             {0x2, "NOMEM"},
                                                             {0x3, "INTERNAL_ERROR"},
                                                             {0x4, "TIMEOUT"},
                                                             {0x5, "UNAUTH"},
                                                             {0x6, "PAUSED"},
                                                             {0x7, "NO_SUBNETS"},
                                                             {0x8, "INVALID"},
                                                             {0x9, "WRONG_SERVER"},
                                                             {0xA, "NOADDRESS"},
                                                             {0xB, "PROCESSED"},
                                                             {0x100, "GEN_FAILURE"},
                                                             {0x10000000, "SEND_PACKET"},
                                                             {0x20000001, "CONFLICT"},
                                                             {0x20000002, "DECLINE"},
                                                             {0x20000003, "RELEASE"},
                                                             {0x20000004, "NACKED"},
                                                             {0x30000001, "NEW"},
                                                             {0x30000002, "OLD"}};
  return names;
}

const std::map<std::uint32_t, std::string>& control_names() {
  static const std::map<std::uint32_t, std::string> names = {
      {1, "START"}, {2, "STOP"}, {3, "PAUSE"}, {4, "CONTINUE"}};
  return names;
}

std::string name_of(const std::map<std::uint32_t, std::string>& names, const nlohmann::json& code) {
  if (!code.is_number_unsigned()) {
    return "?";
  }
  auto found = names.find(code.get<std::uint32_t>());
  return found == names.end() ? std::to_string(code.get<std::uint32_t>()) : found->second;
}

}  // namespace

std::string describe_call(const nlohmann::json& record) {
  const std::string hook = record.value("hook", std::string("?"));
  if (hook == "Control") {
    return hook + "(" + name_of(control_names(), record["ControlCode"]) + ")";
  }
  if (hook == "PktDrop" || hook == "PktSend" || hook == "AddressDel" || hook == "AddressOffer") {
    return hook + "(" + name_of(code_names(), record["ControlCode"]) + ")";
  }
  return hook;
}

std::vector<std::vector<std::string>> packet_sequences(const std::vector<nlohmann::json>& records) {
  std::vector<std::vector<std::string>> packets;
  for (const auto& record : records) {
    const auto call = describe_call(record);
    if (call == "NewPkt") {
      packets.emplace_back();
    }
    if (packets.empty() || call == "Control(STOP)") {
      continue;
    }
    packets.back().push_back(call);
  }
  return packets;
}

std::vector<std::string> all_calls(const std::vector<nlohmann::json>& records) {
  std::vector<std::string> calls;
  for (const auto& record : records) {
    calls.push_back(describe_call(record));
  }
  return calls;
}

}  // namespace calloutemu::test
