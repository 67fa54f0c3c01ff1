// What happens between requests: lease expiry on capture time, deletions by
// an administrator, and the service being paused or continued.
#include <algorithm>
#include <cstdio>
#include <string>

#include "calloutemu/loader/hook_table.h"
#include "server_core.h"

namespace calloutemu::server {
namespace {

std::string format_mac(const std::array<std::uint8_t, 6>& mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

}  // namespace

void ServerCore::run_scheduled(const Request& request) {
  expire_leases(request.origin.time);
  auto [first_delete, last_delete] = deletes_.equal_range(request.number);
  for (auto it = first_delete; it != last_delete; ++it) {
    administrative_delete(it->second);
  }
  // PAUSE before CONTINUE when both are scripted before the same request.
  auto [first_control, last_control] = controls_.equal_range(request.number);
  for (DWORD code : {DWORD{DHCP_CONTROL_PAUSE}, DWORD{DHCP_CONTROL_CONTINUE}}) {
    for (auto it = first_control; it != last_control; ++it) {
      if (it->second == code) {
        control(code);
      }
    }
  }
}

void ServerCore::expire_leases(std::chrono::nanoseconds now) {
  const bool documented = settings_.fidelity == Fidelity::documented;
  leases_.expire(now, [&](const scopes::Lease& lease) {
    const bool bootp = lease.client_type == scopes::ClientType::bootp;
    // legacy: only a dynamic BOOTP lease being scavenged gets DeleteClient.
    if (documented || bootp) {
      delete_client(lease.address, lease.client_id, bootp);
    }
  });
  captured_.expire(now, [&](std::string_view client_id, const CapturedLease& lease) {
    if (documented || lease.bootp) {
      delete_client(lease.address, client_id, lease.bootp);
    }
  });
}

void ServerCore::delete_client(std::uint32_t address, std::string_view client_id, bool bootp) {
  hw_address_.assign(client_id.begin(), client_id.end());
  before_call(loader::Hook::delete_client);
  const auto call = hooks_.delete_client(
      address, hw_address_.empty() ? nullptr : hw_address_.data(),
      static_cast<ULONG>(hw_address_.size()), 0, bootp ? DHCP_CLIENT_BOOTP : DHCP_CLIENT_DHCP);
  if (detailed_) {
    arguments_ = HookArguments{};
    arguments_.ip_address = address;
    arguments_.hw_address = hw_address_;
    arguments_.client_type = bootp ? DWORD{DHCP_CLIENT_BOOTP} : DWORD{DHCP_CLIENT_DHCP};
  }
  record(loader::Hook::delete_client, 0, call, detailed_ ? &arguments_ : nullptr);
}

void ServerCore::administrative_delete(const AdminDelete& order) {
  // A lease is held under option 61 when the client sent it; the usual form
  // is hardware type 1 followed by the MAC.
  const std::string by_mac(order.mac.begin(), order.mac.end());
  const std::string by_client_id = std::string(1, '\x01') + by_mac;
  for (const std::string* id : {&by_mac, &by_client_id}) {
    if (const auto* lease = leases_.by_client(*id);
        lease != nullptr && lease->state == scopes::LeaseState::bound) {
      delete_client(lease->address, *id, lease->client_type == scopes::ClientType::bootp);
      leases_.remove_client(*id);
      return;
    }
    if (const auto* lease = captured_.find(*id)) {
      delete_client(lease->address, *id, lease->bootp);
      captured_.remove(*id);
      return;
    }
  }
  observer_.note("--delete-client " + format_mac(order.mac) + "@" + std::to_string(order.request) +
                 ": the client held no lease when request " + std::to_string(order.request) +
                 " arrived; DeleteClient was not called");
}

void ServerCore::control(DWORD code) {
  paused_ = code == DHCP_CONTROL_PAUSE;
  arguments_ = HookArguments{};
  before_call(loader::Hook::control);
  record(loader::Hook::control, code, hooks_.control(code), detailed_ ? &arguments_ : nullptr);
}

void ServerModel::finish(std::uint64_t requests_seen, ServerObserver& observer) const {
  auto never = [&](const std::string& what) {
    observer.note(what + " never happened: the replay had " + std::to_string(requests_seen) +
                  " request" + (requests_seen == 1 ? "" : "s"));
  };
  for (const auto& [number, code] : controls) {
    if (number > requests_seen) {
      never(std::string(code == DHCP_CONTROL_PAUSE ? "--pause-at " : "--continue-at ") +
            std::to_string(number));
    }
  }
  for (const auto& [number, order] : deletes) {
    if (number > requests_seen) {
      never("--delete-client " + format_mac(order.mac) + "@" + std::to_string(number));
    }
  }
  for (const auto& [number, code] : injections) {
    if (number > requests_seen) {
      never("--inject " + std::string(loader::drop_code_name(code)) + "@" + std::to_string(number));
    }
  }
}

}  // namespace calloutemu::server
