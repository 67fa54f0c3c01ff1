#include "calloutemu/dhcp/message.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

// Appends the options of bytes [begin, end) to `out`; stops at the end
// option, the end of the area, or an option that runs past it.
std::optional<OptionOverrun> scan_area(std::span<const std::uint8_t> bytes, OptionArea area,
                                       std::size_t begin, std::size_t end,
                                       std::vector<OptionRef>& out, std::size_t& type_index) {
  std::size_t at = begin;
  while (at < end) {
    const std::uint8_t code = bytes[at];
    if (code == option::pad) {
      ++at;
      continue;
    }
    if (code == option::end) {
      break;
    }
    const std::size_t room = end - at;
    if (room < 2 || bytes[at + 1] > room - 2) {
      return OptionOverrun{code, area, at};
    }
    const std::size_t length = bytes[at + 1];
    if (code == option::message_type && type_index == MessageView::kNoOption) {
      type_index = out.size();
    }
    out.push_back(OptionRef{code, area, at + 2, length});
    at += 2 + length;
  }
  return std::nullopt;
}

// Called when only the options field has been read: 52 counts there alone.
std::uint8_t honoured_overload(const MessageView& message) {
  for (const OptionRef& found : message.options) {
    if (found.code != option::overload || found.length != 1) {
      continue;
    }
    const std::uint8_t value = message.bytes[found.data_offset];
    if (value >= overload::file && value <= overload::both) {
      return value;
    }
  }
  return 0;
}

void scan_options(MessageView& message) {
  const auto scan = [&message](OptionArea area, std::size_t begin, std::size_t end) {
    auto overrun =
        scan_area(message.bytes, area, begin, end, message.options, message.message_type_index);
    if (overrun && !message.overrun) {
      message.overrun = overrun;
    }
  };
  scan(OptionArea::options, kOptionsOffset, message.bytes.size());
  message.overload = honoured_overload(message);
  if (message.file_holds_options()) {
    scan(OptionArea::file, kFileOffset, kFileOffset + kFileSize);
  }
  if (message.sname_holds_options()) {
    scan(OptionArea::sname, kSnameOffset, kSnameOffset + kSnameSize);
  }
}

}  // namespace

std::string_view to_string(OptionArea area) {
  switch (area) {
    case OptionArea::options:
      return "options";
    case OptionArea::file:
      return "file";
    case OptionArea::sname:
      return "sname";
  }
  return "unknown";
}

std::optional<Error> parse_message_into(std::span<const std::uint8_t> datagram,
                                        MessageView& message) {
  std::vector<OptionRef> options = std::move(message.options);
  options.clear();
  message = MessageView{};
  if (datagram.size() < kFixedHeaderSize) {
    message.options = std::move(options);
    return make_error("the datagram is " + std::to_string(datagram.size()) +
                      " bytes, shorter than the 236-byte fixed header");
  }
  const std::uint8_t* const at = datagram.data();
  message.bytes = datagram;
  message.op = at[kOpOffset];
  message.htype = at[kHtypeOffset];
  message.hlen = at[kHlenOffset];
  message.hops = at[kHopsOffset];
  message.xid = load_be32(at + kXidOffset);
  message.secs = load_be16(at + kSecsOffset);
  message.flags = load_be16(at + kFlagsOffset);
  message.ciaddr = load_be32(at + kCiaddrOffset);
  message.yiaddr = load_be32(at + kYiaddrOffset);
  message.siaddr = load_be32(at + kSiaddrOffset);
  message.giaddr = load_be32(at + kGiaddrOffset);
  message.chaddr = datagram.subspan(kChaddrOffset, kChaddrSize);
  message.sname = datagram.subspan(kSnameOffset, kSnameSize);
  message.file = datagram.subspan(kFileOffset, kFileSize);
  message.has_magic_cookie =
      datagram.size() >= kOptionsOffset &&
      std::equal(kMagicCookie.begin(), kMagicCookie.end(), at + kMagicCookieOffset);
  message.options = std::move(options);
  if (message.has_magic_cookie) {
    // Requests carry a handful of options: one allocation, not several.
    constexpr std::size_t kUsualOptionCount = 16;
    message.options.reserve(kUsualOptionCount);
    scan_options(message);
  }
  return std::nullopt;
}

Result<MessageView> parse_message(std::span<const std::uint8_t> datagram) {
  MessageView message;
  if (auto error = parse_message_into(datagram, message)) {
    return std::move(*error);
  }
  return message;
}

std::span<const std::uint8_t> MessageView::client_hardware_address() const {
  return chaddr.first(std::min<std::size_t>(hlen, chaddr.size()));
}

bool MessageView::file_holds_options() const {
  return overload == overload::file || overload == overload::both;
}

bool MessageView::sname_holds_options() const {
  return overload == overload::sname || overload == overload::both;
}

std::optional<OptionRef> MessageView::find_option(std::uint8_t code) const {
  if (code == option::message_type) {
    if (message_type_index == kNoOption) {
      return std::nullopt;
    }
    return options[message_type_index];
  }
  const auto found = std::find_if(options.begin(), options.end(),
                                  [code](const OptionRef& each) { return each.code == code; });
  if (found == options.end()) {
    return std::nullopt;
  }
  return *found;
}

std::vector<OptionRef> MessageView::find_all_options(std::uint8_t code) const {
  std::vector<OptionRef> found;
  std::copy_if(options.begin(), options.end(), std::back_inserter(found),
               [code](const OptionRef& each) { return each.code == code; });
  return found;
}

std::span<const std::uint8_t> MessageView::option_data(const OptionRef& option) const {
  return bytes.subspan(option.data_offset, option.length);
}

std::optional<std::span<const std::uint8_t>> MessageView::find_option_data(
    std::uint8_t code) const {
  const auto found = find_option(code);
  if (!found) {
    return std::nullopt;
  }
  return option_data(*found);
}

std::optional<std::vector<std::uint8_t>> MessageView::concatenated_option(std::uint8_t code) const {
  std::optional<std::vector<std::uint8_t>> joined;
  for (const OptionRef& each : options) {
    if (each.code == code) {
      const auto data = option_data(each);
      if (!joined) {
        joined.emplace();
      }
      joined->insert(joined->end(), data.begin(), data.end());
    }
  }
  return joined;
}

std::optional<MessageType> MessageView::message_type() const {
  const auto data = find_option_data(option::message_type);
  if (!data || data->size() != 1) {
    return std::nullopt;
  }
  return static_cast<MessageType>((*data)[0]);
}

bool MessageView::is_bootp() const {
  return !find_option(option::message_type);
}

}  // namespace calloutemu::dhcp
