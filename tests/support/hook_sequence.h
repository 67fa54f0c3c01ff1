// The recorder fixture's records, read as the hook sequence of each request.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace calloutemu::test {

// One record as "Hook" or "Hook(CODE)": "NewPkt", "HandleOptions",
// "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)", "AddressDel(NACKED)",
// "AddressOffer(NEW)", "Control(START)", "DeleteClient", "Entry".
std::string describe_call(const nlohmann::json& record);

// The calls of each packet: a new group starts at every NewPkt; calls before
// the first NewPkt (Entry, Control(START)) and after the last packet's final
// PktDrop(PROCESSED) (Control(STOP)) are left out, calls between packets
// (DeleteClient, Control(PAUSE)) belong to the group they follow.
std::vector<std::vector<std::string>> packet_sequences(const std::vector<nlohmann::json>& records);

// Every record described, in order.
std::vector<std::string> all_calls(const std::vector<nlohmann::json>& records);

}  // namespace calloutemu::test
