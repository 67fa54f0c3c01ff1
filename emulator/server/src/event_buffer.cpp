#include "event_buffer.h"

namespace calloutemu::server {

void EventBuffer::hook_called(const HookRecord& record) {
  HeldHook held;
  held.record = record;
  if (record.origin != nullptr) {
    held.origin = *record.origin;
  }
  if (record.call != nullptr) {
    held.call = *record.call;
  }
  if (record.arguments != nullptr) {
    const HookArguments& arguments = *record.arguments;
    held.arguments = arguments;
    held.packet.assign(arguments.packet.begin(), arguments.packet.end());
    held.packet_after.assign(arguments.packet_after.begin(), arguments.packet_after.end());
    held.hw_address.assign(arguments.hw_address.begin(), arguments.hw_address.end());
  }
  events_.push_back({Kind::hook, hooks_.size()});
  hooks_.push_back(std::move(held));
}

void EventBuffer::response_sent(const RequestOutcome& outcome,
                                std::span<const std::uint8_t> bytes) {
  events_.push_back({Kind::response, responses_.size()});
  responses_.push_back({outcome, {bytes.begin(), bytes.end()}});
}

void EventBuffer::request_finished(const RequestOutcome& outcome) {
  events_.push_back({Kind::finished, outcomes_.size()});
  outcomes_.push_back(outcome);
}

void EventBuffer::note(std::string_view text) {
  events_.push_back({Kind::note, notes_.size()});
  notes_.emplace_back(text);
}

void EventBuffer::replay_to(ServerObserver& observer) {
  for (const Event& event : events_) {
    switch (event.kind) {
      case Kind::hook: {
        HeldHook& held = hooks_[event.index];
        HookRecord record = held.record;
        record.origin = held.origin ? &*held.origin : nullptr;
        record.call = held.call ? &*held.call : nullptr;
        record.arguments = nullptr;
        if (held.arguments) {
          held.arguments->packet = held.packet;
          held.arguments->packet_after = held.packet_after;
          held.arguments->hw_address = held.hw_address;
          record.arguments = &*held.arguments;
        }
        observer.hook_called(record);
        break;
      }
      case Kind::response: {
        const HeldResponse& held = responses_[event.index];
        observer.response_sent(held.outcome, held.bytes);
        break;
      }
      case Kind::finished:
        observer.request_finished(outcomes_[event.index]);
        break;
      case Kind::note:
        observer.note(notes_[event.index]);
        break;
    }
  }
  events_.clear();
  hooks_.clear();
  responses_.clear();
  outcomes_.clear();
  notes_.clear();
}

}  // namespace calloutemu::server
