#include "calloutemu/dhcp/message_builder.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

constexpr std::size_t kMaxOptionLength = 255;

// The options of a reply, visited in the order they are written. Used twice:
// once to check and measure, once to write, so nothing is allocated.
template <class Visit>
void for_each_option(const MessageView& request, const ReplySpec& reply, Visit&& visit) {
  if (reply.message_type) {
    const auto type = static_cast<std::uint8_t>(*reply.message_type);
    visit(option::message_type, std::span(&type, 1));
  }
  auto u32 = [&](std::uint8_t code, std::optional<std::uint32_t> value) {
    if (value) {
      std::uint8_t data[4];
      store_be32(data, *value);
      visit(code, std::span<const std::uint8_t>(data));
    }
  };
  u32(option::server_identifier, reply.server_identifier);
  u32(option::lease_time, reply.lease_time);
  u32(option::renewal_time, reply.renewal_time);
  u32(option::rebinding_time, reply.rebinding_time);
  u32(option::subnet_mask, reply.subnet_mask);
  auto addresses = [&](std::uint8_t code, const std::vector<std::uint32_t>& values) {
    if (values.empty()) {
      return;
    }
    std::uint8_t data[kMaxOptionLength + 4];
    if (values.size() * 4 > kMaxOptionLength) {
      visit(code, std::span<const std::uint8_t>(data, values.size() * 4));  // too long: rejected
      return;
    }
    for (std::size_t index = 0; index < values.size(); ++index) {
      store_be32(data + index * 4, values[index]);
    }
    visit(code, std::span<const std::uint8_t>(data, values.size() * 4));
  };
  addresses(option::router, reply.routers);
  addresses(option::dns_servers, reply.dns_servers);
  if (!reply.domain_name.empty()) {
    const auto* name = reinterpret_cast<const std::uint8_t*>(reply.domain_name.data());
    visit(option::domain_name, std::span(name, reply.domain_name.size()));
  }
  for (const OptionRef& relay : request.options) {
    if (relay.code == option::relay_agent_information) {
      visit(option::relay_agent_information, request.option_data(relay));
    }
  }
  for (const ExtraOption& extra : reply.extra_options) {
    visit(extra.code, std::span<const std::uint8_t>(extra.data));
  }
}

std::optional<Error> check_option(std::uint8_t code, std::size_t length) {
  if (code == option::pad || code == option::end) {
    return make_error("extra option code " + std::to_string(code) +
                      " is pad or end, not an option");
  }
  if (length > kMaxOptionLength) {
    return make_error("option " + std::to_string(code) + " is " + std::to_string(length) +
                      " bytes long, over 255");
  }
  return std::nullopt;
}

std::optional<Error> check_name(const std::string& name, std::size_t size, std::string_view field) {
  if (name.size() >= size) {
    return make_error(std::string(field) + " is " + std::to_string(name.size()) +
                      " bytes long; the field holds at most " + std::to_string(size - 1) +
                      " and a NUL");
  }
  return std::nullopt;
}

void put_header(std::uint8_t* at, const MessageView& request, const ReplySpec& reply) {
  std::memset(at, 0, kOptionsOffset);
  at[kOpOffset] = kBootReply;
  at[kHtypeOffset] = request.htype;
  at[kHlenOffset] = request.hlen;
  store_be32(at + kXidOffset, request.xid);
  at[kFlagsOffset] = static_cast<std::uint8_t>(request.flags >> 8);
  at[kFlagsOffset + 1] = static_cast<std::uint8_t>(request.flags);
  store_be32(at + kCiaddrOffset, reply.ciaddr);
  store_be32(at + kYiaddrOffset, reply.yiaddr);
  store_be32(at + kSiaddrOffset, reply.siaddr);
  store_be32(at + kGiaddrOffset, request.giaddr);
  std::copy(request.chaddr.begin(), request.chaddr.end(), at + kChaddrOffset);
  std::copy(reply.server_name.begin(), reply.server_name.end(), at + kSnameOffset);
  std::copy(reply.boot_file.begin(), reply.boot_file.end(), at + kFileOffset);
  std::copy(kMagicCookie.begin(), kMagicCookie.end(), at + kMagicCookieOffset);
}

}  // namespace

Result<std::size_t> build_reply(const MessageView& request, const ReplySpec& reply,
                                std::span<std::uint8_t> out) {
  // The first option that does not fit, if any; its message is built only then.
  std::optional<std::pair<std::uint8_t, std::size_t>> misfit;
  std::size_t options_size = 0;
  for_each_option(request, reply, [&](std::uint8_t code, std::span<const std::uint8_t> data) {
    const bool fits = code != option::pad && code != option::end && data.size() <= kMaxOptionLength;
    if (!fits && !misfit) {
      misfit.emplace(code, data.size());
    }
    options_size += 2 + data.size();
  });
  std::optional<Error> error;
  if (misfit) {
    error = check_option(misfit->first, misfit->second);
  }
  if (!error) {
    error = check_name(reply.server_name, kSnameSize, "sname");
  }
  if (!error) {
    error = check_name(reply.boot_file, kFileSize, "file");
  }
  if (error) {
    return *error;
  }
  const std::size_t end_at = kOptionsOffset + options_size;
  const std::size_t size = std::max(end_at + 1, kMinimumBootpSize);
  if (size > out.size()) {
    return make_error("the reply is " + std::to_string(size) + " bytes; the buffer holds " +
                      std::to_string(out.size()));
  }

  std::uint8_t* const at = out.data();
  put_header(at, request, reply);
  std::size_t position = kOptionsOffset;
  for_each_option(request, reply, [&](std::uint8_t code, std::span<const std::uint8_t> data) {
    at[position] = code;
    at[position + 1] = static_cast<std::uint8_t>(data.size());
    if (!data.empty()) {
      std::memcpy(at + position + 2, data.data(), data.size());
    }
    position += 2 + data.size();
  });
  at[end_at] = option::end;
  std::memset(at + end_at + 1, option::pad, size - end_at - 1);
  return size;
}

}  // namespace calloutemu::dhcp
