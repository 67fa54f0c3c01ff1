#include "calloutemu/server/dhcp_server.h"

#include "server_core.h"

namespace calloutemu::server {

struct DhcpServer::State : ServerCore {
  using ServerCore::ServerCore;
};

DhcpServer::DhcpServer(ServerSettings settings, loader::CalloutHooks& hooks,
                       ServerObserver& observer)
    : state_(std::make_unique<State>(std::move(settings), hooks, observer)) {}

DhcpServer::~DhcpServer() = default;

void DhcpServer::process(const Request& request, const CapturedReply* reply) {
  state_->process(request, reply);
}

void DhcpServer::observe_reply(const CapturedReply& reply) {
  state_->observe_reply(reply);
}

void DhcpServer::finish(std::uint64_t requests_seen) {
  state_->finish(requests_seen);
}

std::size_t DhcpServer::lease_count() const {
  return state_->lease_count();
}

}  // namespace calloutemu::server
