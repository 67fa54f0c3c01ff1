#include "host_packets.h"

namespace calloutemu::loader::host {
namespace {

// Spare copy buffers kept for reuse; more are freed.
constexpr std::size_t kMaxSpare = 64;

}  // namespace

PacketRecord& PacketTable::start(std::uint64_t reserved) {
  for (auto retired = retired_.begin(); retired != retired_.end();) {
    if (retired->first == reserved) {
      recycle(retired->second);
      retired = retired_.erase(retired);
    } else {
      ++retired;
    }
  }
  auto found = records_.find(reserved);
  if (found != records_.end()) {
    retire(reserved, std::move(found->second));
    found->second = PacketRecord{};
    return found->second;
  }
  return records_[reserved];
}

PacketRecord& PacketTable::find(std::uint64_t reserved) {
  return records_[reserved];
}

PacketRecord* PacketTable::existing(std::uint64_t reserved) {
  auto found = records_.find(reserved);
  return found != records_.end() ? &found->second : nullptr;
}

void PacketTable::end(std::uint64_t reserved) {
  auto found = records_.find(reserved);
  if (found != records_.end()) {
    retire(reserved, std::move(found->second));
    records_.erase(found);
  }
}

void PacketTable::retire(std::uint64_t reserved, PacketRecord&& record) {
  retired_.emplace_back(reserved, std::move(record));
  if (retired_.size() > kMaxRetired) {
    recycle(retired_.front().second);
    retired_.pop_front();
  }
}

void PacketTable::recycle(PacketRecord& record) {
  for (auto& copy : record.copies) {
    if (spare_.size() < kMaxSpare) {
      spare_.push_back(std::move(copy.data));
    }
  }
  record.copies.clear();
}

void PacketTable::host_restarted() {
  for (auto& [reserved, record] : records_) {
    record.from_earlier_host = true;
    record.known_to_host = false;
    record.unreadable_address.reset();
    for (auto& copy : record.copies) {
      copy.from_earlier_host = true;
    }
  }
}

std::unique_ptr<std::uint8_t[]> PacketTable::new_buffer() {
  if (!spare_.empty()) {
    auto buffer = std::move(spare_.back());
    spare_.pop_back();
    return buffer;
  }
  return std::unique_ptr<std::uint8_t[]>(new std::uint8_t[kMaxCalloutBuffer]);
}

LocalCopy& PacketTable::copy_for(PacketRecord& record, std::uint64_t host_address) {
  for (auto& copy : record.copies) {
    if (!copy.from_earlier_host && copy.host_address == host_address) {
      return copy;
    }
  }
  LocalCopy copy;
  copy.data = new_buffer();
  copy.host_address = host_address;
  record.copies.push_back(std::move(copy));
  return record.copies.back();
}

Located PacketTable::locate(PacketRecord& record, std::uint8_t* pointer,
                            const NoAccessRegion& no_access) {
  Located located;
  if (pointer == nullptr) {
    return located;
  }
  if (pointer == record.receive) {
    located.where = Where::slot_receive;
    located.base = pointer;
    located.extent = kPacketBufferSize;
    return located;
  }
  for (std::size_t index = 0; index < record.copies.size(); ++index) {
    const LocalCopy& copy = record.copies[index];
    if (copy.data.get() != pointer) {
      continue;
    }
    located.base = pointer;
    located.extent = copy.length;
    if (copy.from_earlier_host) {
      // Its callout buffer died with the old host: mirrored like a server buffer.
      located.where = Where::slot_send;
    } else {
      located.where = Where::callout;
      located.host_address = copy.host_address;
      located.copy = index;
    }
    return located;
  }
  if (no_access.contains(pointer)) {
    if (record.unreadable_address && pointer == no_access.data()) {
      located.where = Where::callout;
      located.host_address = *record.unreadable_address;
    } else {
      located.where = Where::unreadable;
    }
    return located;
  }
  located.where = Where::slot_send;
  located.base = pointer;
  located.extent = kPacketBufferSize;
  record.send = pointer;
  return located;
}

}  // namespace calloutemu::loader::host
