#include "calloutemu/dhcp/message_builder.h"

#include <algorithm>
#include <string>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

constexpr std::size_t kMaxOptionLength = 255;

// Encodes options in the order they are added; the first problem sticks.
class OptionEncoder {
 public:
  void add(std::uint8_t code, std::span<const std::uint8_t> data) {
    if (data.size() > kMaxOptionLength) {
      fail("option " + std::to_string(code) + " is " + std::to_string(data.size()) +
           " bytes long, over 255");
      return;
    }
    bytes_.push_back(code);
    bytes_.push_back(static_cast<std::uint8_t>(data.size()));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
  }

  void add_u32(std::uint8_t code, std::optional<std::uint32_t> value) {
    if (value) {
      add_u32s(code, {*value});
    }
  }

  void add_u32s(std::uint8_t code, const std::vector<std::uint32_t>& values) {
    if (values.empty()) {
      return;
    }
    std::vector<std::uint8_t> data(values.size() * 4);
    for (std::size_t index = 0; index < values.size(); ++index) {
      store_be32(data.data() + index * 4, values[index]);
    }
    add(code, data);
  }

  void fail(std::string message) {
    if (!error_) {
      error_ = make_error(std::move(message));
    }
  }

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  const std::optional<Error>& error() const { return error_; }

 private:
  std::vector<std::uint8_t> bytes_;
  std::optional<Error> error_;
};

OptionEncoder encode_options(const MessageView& request, const ReplySpec& reply) {
  OptionEncoder encoder;
  if (reply.message_type) {
    const auto type = static_cast<std::uint8_t>(*reply.message_type);
    encoder.add(option::message_type, std::span(&type, 1));
  }
  encoder.add_u32(option::server_identifier, reply.server_identifier);
  encoder.add_u32(option::lease_time, reply.lease_time);
  encoder.add_u32(option::renewal_time, reply.renewal_time);
  encoder.add_u32(option::rebinding_time, reply.rebinding_time);
  encoder.add_u32(option::subnet_mask, reply.subnet_mask);
  encoder.add_u32s(option::router, reply.routers);
  encoder.add_u32s(option::dns_servers, reply.dns_servers);
  if (!reply.domain_name.empty()) {
    const auto* name = reinterpret_cast<const std::uint8_t*>(reply.domain_name.data());
    encoder.add(option::domain_name, std::span(name, reply.domain_name.size()));
  }
  for (const OptionRef& relay : request.find_all_options(option::relay_agent_information)) {
    encoder.add(option::relay_agent_information, request.option_data(relay));
  }
  for (const ExtraOption& extra : reply.extra_options) {
    if (extra.code == option::pad || extra.code == option::end) {
      encoder.fail("extra option code " + std::to_string(extra.code) +
                   " is pad or end, not an option");
    }
    encoder.add(extra.code, extra.data);
  }
  return encoder;
}

// A NUL-terminated name in a fixed field.
std::optional<Error> put_name(std::vector<std::uint8_t>& message, std::size_t offset,
                              std::size_t size, const std::string& name, std::string_view field) {
  if (name.size() >= size) {
    return make_error(std::string(field) + " is " + std::to_string(name.size()) +
                      " bytes long; the field holds at most " + std::to_string(size - 1) +
                      " and a NUL");
  }
  std::copy(name.begin(), name.end(), message.begin() + static_cast<std::ptrdiff_t>(offset));
  return std::nullopt;
}

void put_header(std::vector<std::uint8_t>& message, const MessageView& request,
                const ReplySpec& reply) {
  std::uint8_t* const at = message.data();
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
  std::copy(kMagicCookie.begin(), kMagicCookie.end(), at + kMagicCookieOffset);
}

}  // namespace

Result<std::size_t> build_reply(const MessageView& request, const ReplySpec& reply,
                                std::span<std::uint8_t> out) {
  const OptionEncoder options = encode_options(request, reply);
  if (options.error()) {
    return *options.error();
  }
  std::vector<std::uint8_t> message(kOptionsOffset);
  put_header(message, request, reply);
  if (auto error = put_name(message, kSnameOffset, kSnameSize, reply.server_name, "sname")) {
    return *error;
  }
  if (auto error = put_name(message, kFileOffset, kFileSize, reply.boot_file, "file")) {
    return *error;
  }
  message.insert(message.end(), options.bytes().begin(), options.bytes().end());
  message.push_back(option::end);
  message.resize(std::max(message.size(), kMinimumBootpSize), option::pad);

  if (message.size() > out.size()) {
    return make_error("the reply is " + std::to_string(message.size()) +
                      " bytes; the buffer holds " + std::to_string(out.size()));
  }
  std::copy(message.begin(), message.end(), out.begin());
  return message.size();
}

}  // namespace calloutemu::dhcp
