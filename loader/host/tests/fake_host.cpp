// A callout host that answers hello, load and STOP properly, and each hook
// call with the malformed reply FAKE_HOST_MODE names, for the client's checks
// of what a host sends back. Its request loop is a bare copy of the real
// host's; it is built for POSIX only, as the tests are.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "host_process.h"
#include "host_protocol.h"
#include "host_wire.h"

namespace {

using namespace calloutemu::loader;
using namespace calloutemu::loader::host;

class FakeHost {
 public:
  FakeHost(SharedFile channel, std::string mode)
      : channel_(std::move(channel)), mode_(std::move(mode)) {}

  int run() {
    while (next()) {
      WireReader request(lane0_request() + 4, request_length());
      const auto kind = static_cast<Request>(request.u32());
      if (kind == Request::hello) {
        auto reply = begin(Status::ok);
        reply.u32(kProtocolVersion);
        reply.string("fake host (" + mode_ + ")");
        publish(reply);
      } else if (kind == Request::load || (kind == Request::load_next && mode_ == "attempts")) {
        auto reply = begin(Status::attempt);
        if (mode_ == "attempts") {
          write_attempt(reply, LoadAttempt{"again", AttemptOutcome::load_failed, "no", {}, {}});
        } else {
          write_attempt(
              reply,
              LoadAttempt{"fake.dll", AttemptOutcome::loaded, "returned 0 (0x00000000)", {}, 0});
        }
        publish(reply);
      } else if (kind == Request::load_next) {
        auto reply = begin(Status::ok);
        reply.u8(1);      // loaded
        reply.u8(0);      // no START
        reply.u32(0xFF);  // the eight hooks
        publish(reply);
      } else if (kind == Request::stop) {
        auto reply = begin(Status::ok);
        write_control_call(reply, ControlCall{DHCP_CONTROL_STOP, true, 0, std::nullopt, {}});
        publish(reply);
        return 0;
      } else {
        answer_hook();
      }
    }
    return 0;
  }

 private:
  std::uint32_t request_length() const {
    std::uint32_t length = 0;
    std::memcpy(&length, lane0_request(), 4);
    return length <= kRequestCapacity - 4 ? length : 0;
  }

  // The client's first lane: the fake host serves that one only.
  LaneControl& header() const { return view().control(0); }
  ChannelView view() const {
    return ChannelView(channel_.data(),
                       std::launder(reinterpret_cast<ChannelHeader*>(channel_.data()))->lane_count);
  }
  std::uint8_t* lane0_request() const { return view().request_area(0); }
  std::uint8_t* lane0_reply() const { return view().reply_area(0); }

  bool next() {
    LaneControl& shared = header();
    shared.host_sleeping.store(1);
    while (shared.call_sequence.load() == seen_) {
      char byte = 0;
      if (read(STDIN_FILENO, &byte, 1) != 1) {
        return false;
      }
    }
    shared.host_sleeping.store(0);
    seen_ = shared.call_sequence.load();
    return true;
  }

  WireWriter begin(Status status) {
    WireWriter writer(lane0_reply() + 4, kReplyCapacity - 4);
    writer.u32(static_cast<std::uint32_t>(status));
    return writer;
  }

  void publish(const WireWriter& reply, std::uint32_t length_override = 0) {
    const auto length =
        length_override != 0 ? length_override : static_cast<std::uint32_t>(reply.size());
    std::memcpy(lane0_reply(), &length, 4);
    header().reply_sequence.store(seen_);
    if (header().client_sleeping.load() != 0) {
      write_byte(static_cast<char>(kWakeClient));
    }
  }

  // A sound result head: called, returned 0, no time, no context.
  void result_head(WireWriter& reply) {
    reply.u8(1);
    reply.u32(0);
    reply.u64(0);
    reply.u64(0);
    reply.u32(0);
  }

  void answer_hook() {
    auto reply = begin(Status::ok);
    if (mode_ == "reply_length") {
      result_head(reply);
      publish(reply, 0xFFFFFFF0u);
    } else if (mode_ == "status") {
      auto odd = begin(static_cast<Status>(77));
      publish(odd);
    } else if (mode_ == "truncated") {
      reply.u8(1);
      reply.u8(0);
      publish(reply);
    } else if (mode_ == "change_range") {
      result_head(reply);
      reply.u32(4);  // size after
      reply.u8(1);   // slot changes
      reply.u32(4000);
      reply.u32(200);  // past the buffer's end
      reply.reserve(200);
      reply.u8(0);
      publish(reply);
    } else if (mode_ == "copy_length") {
      result_head(reply);
      reply.u32(4);
      reply.u8(0);  // no update
      reply.u8(4);  // final: a callout buffer
      reply.u64(0x1000);
      reply.u8(0);            // its bytes...
      reply.u32(0x7FFFFFFF);  // ...claimed, not sent
      publish(reply);
    } else if (mode_ == "final_by_value") {
      result_head(reply);
      reply.u32(4);
      reply.u8(0);
      reply.u8(1);  // final: NULL, for a hook given no BYTE**
      publish(reply);
    } else if (mode_ == "option_offset") {
      result_head(reply);
      reply.u32(4);
      reply.u8(0);
      reply.u8(0);
      for (int i = 0; i < 10; ++i) {
        reply.u32(0);
      }
      reply.u8(1);      // MessageType in the packet...
      reply.u32(5000);  // ...past its end
      for (int i = 1; i < 15; ++i) {
        reply.u8(0);
      }
      publish(reply);
    } else if (mode_ == "stray_byte") {
      write_byte('x');  // and no reply
    } else if (mode_ == "exit") {
      std::exit(1);
    } else {
      publish(begin(Status::error));
    }
  }

  static void write_byte(char byte) { (void)!write(STDOUT_FILENO, &byte, 1); }

  SharedFile channel_;
  std::string mode_;
  std::uint32_t seen_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--channel") != 0) {
    return 2;
  }
  auto channel = SharedFile::open(argv[2], channel_size(1));
  if (!channel) {
    return 2;
  }
  const char* mode = std::getenv("FAKE_HOST_MODE");
  FakeHost host(std::move(channel).value(), mode != nullptr ? mode : "");
  return host.run();
}
