#include "calloutemu/server/dhcp_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "calloutemu/spin_wait.h"
#include "event_buffer.h"
#include "server_core.h"

namespace calloutemu::server {
namespace {

// One request in flight with --workers: its own core, packet slot and held
// reports, and a copy of the request (the caller's goes as process() returns).
struct Lane {
  Lane(ServerModel& model, PacketSlot& slot) : events(model.detailed), core(model, events, &slot) {}

  EventBuffer events;
  ServerCore core;
  Request request;
  std::vector<std::uint8_t> payload;
  std::optional<CapturedReply> reply;
  std::uint64_t sequence = 0;
  // From process() until its reports are handed on; written under State::lock.
  std::atomic<bool> busy = false;
};

}  // namespace

// With one worker, a request at a time on the caller's thread, as ever. With
// N: the caller's thread is the receive thread (what is scheduled, NewPkt),
// N threads run the worker stage. The requests take the model in turn
// (Turnstile): each holds it from its first step to its last model decision,
// and its later hooks run while the next requests go on. Request i uses lane
// i % lanes (its Reserved pointer), so the lanes also bound what is in flight.
struct DhcpServer::State {
  State(ServerSettings settings, loader::CalloutHooks& hooks, ServerObserver& observer_in);
  ~State();

  void process(const Request& request, const CapturedReply* reply);
  void observe_reply(const CapturedReply& reply);
  void drain();
  HeldThread give_up_call(std::thread::id thread, loader::Hook hook, DWORD code,
                          const loader::HookCall& hung);

  void work(std::size_t worker);
  void deliver(Lane& lane);

  ServerObserver& observer;
  const unsigned workers;
  const std::thread::id receive_thread = std::this_thread::get_id();
  ServerModel model;
  std::optional<ServerCore> sequential;  // one worker
  std::atomic<bool> stopped = false;

  std::vector<std::unique_ptr<Lane>> lanes;
  Turnstile turnstile;
  std::uint64_t next_ticket = 1;  // requests and captured replies, as handed over
  std::uint64_t next_sequence = 0;

  std::mutex lock;  // queue, closing, Lane::busy, receiving, working, threads after the start
  std::condition_variable work_ready;
  std::condition_variable lane_freed;
  std::deque<Lane*> queue;
  std::atomic<std::size_t> queued = 0;  // queue.size(), for a wait that spins
  std::atomic<bool> closing = false;
  Lane* receiving = nullptr;   // the lane in its receive stage, on the receive thread
  std::vector<Lane*> working;  // per worker thread, the lane it took last

  std::mutex deliver_lock;  // done, next_delivery, the observer
  std::map<std::uint64_t, Lane*> done;
  std::uint64_t next_delivery = 0;

  std::vector<std::thread> threads;
};

DhcpServer::State::State(ServerSettings settings, loader::CalloutHooks& hooks,
                         ServerObserver& observer_in)
    : observer(observer_in),
      workers(std::max(1u, settings.workers)),
      model(std::move(settings), hooks, observer_in.wants_arguments(),
            std::max<std::size_t>(PacketSlots::kCount, workers)) {
  if (workers == 1) {
    sequential.emplace(model, observer);
    return;
  }
  model.serialize_before_hook = true;
  for (std::size_t i = 0; i < model.slots.size(); ++i) {
    lanes.push_back(std::make_unique<Lane>(model, model.slots.at(i)));
  }
  working.assign(workers, nullptr);
  for (unsigned i = 0; i < workers; ++i) {
    threads.emplace_back([this, i] { work(i); });
  }
}

DhcpServer::State::~State() {
  if (workers == 1) {
    return;
  }
  drain();
  {
    std::lock_guard guard(lock);
    closing = true;
  }
  work_ready.notify_all();
  for (auto& thread : threads) {
    thread.join();
  }
}

void DhcpServer::State::process(const Request& request, const CapturedReply* reply) {
  if (stopped.load(std::memory_order_relaxed)) {
    return;
  }
  if (sequential) {
    sequential->process(request, reply);
    return;
  }
  const std::uint64_t sequence = next_sequence++;
  Lane& lane = *lanes[sequence % lanes.size()];
  {
    std::unique_lock guard(lock);
    wait_spinning_first(guard, lane_freed, [&] { return !lane.busy.load(); });
    lane.busy = true;
    receiving = &lane;
  }
  lane.sequence = sequence;
  lane.payload.assign(request.payload.begin(), request.payload.end());
  lane.request = request;
  lane.request.payload = lane.payload;
  if (reply != nullptr) {
    lane.reply = *reply;
  } else {
    lane.reply.reset();
  }
  const std::uint64_t ticket = next_ticket++;
  turnstile.await(ticket);
  lane.core.hold(turnstile, ticket);
  lane.core.receive_stage(lane.request, lane.reply ? &*lane.reply : nullptr);
  {
    std::lock_guard guard(lock);
    queue.push_back(&lane);
    queued.store(queue.size());
    receiving = nullptr;
  }
  work_ready.notify_one();
}

void DhcpServer::State::observe_reply(const CapturedReply& reply) {
  if (sequential) {
    model.observe_reply(reply);
    return;
  }
  // In turn: the requests handed over before it do not see it, those after do.
  const std::uint64_t ticket = next_ticket++;
  turnstile.await(ticket);
  model.observe_reply(reply);
  turnstile.pass(ticket);
}

void DhcpServer::State::work(std::size_t worker) {
  while (true) {
    Lane* lane = nullptr;
    {
      std::unique_lock guard(lock);
      wait_spinning_first(guard, work_ready, [&] { return closing.load() || queued.load() > 0; });
      if (queue.empty()) {
        return;
      }
      lane = queue.front();
      queue.pop_front();
      queued.store(queue.size());
      working[worker] = lane;
    }
    lane->core.worker_stage();
    deliver(*lane);
  }
}

void DhcpServer::State::deliver(Lane& lane) {
  std::lock_guard guard(deliver_lock);
  done.emplace(lane.sequence, &lane);
  for (auto next = done.begin(); next != done.end() && next->first == next_delivery;
       next = done.begin()) {
    Lane* ready = next->second;
    done.erase(next);
    ready->events.replay_to(observer);
    ++next_delivery;
    {
      std::lock_guard free_guard(lock);
      ready->busy = false;
    }
    lane_freed.notify_all();
  }
}

void DhcpServer::State::drain() {
  if (sequential) {
    return;
  }
  std::unique_lock guard(lock);
  lane_freed.wait(guard, [&] {
    return std::none_of(lanes.begin(), lanes.end(),
                        [](const auto& lane) { return lane->busy.load(); });
  });
}

DhcpServer::HeldThread DhcpServer::State::give_up_call(std::thread::id thread, loader::Hook hook,
                                                       DWORD code, const loader::HookCall& hung) {
  if (sequential) {
    if (thread != receive_thread) {
      return HeldThread::none;
    }
    sequential->give_up(hook, code, hung);
    return HeldThread::receive;
  }
  Lane* held = nullptr;
  HeldThread where = HeldThread::none;
  {
    std::lock_guard guard(lock);
    if (thread == receive_thread) {
      held = receiving;
      where = HeldThread::receive;
    } else {
      for (std::size_t i = 0; i < threads.size(); ++i) {
        if (threads[i].get_id() == thread) {
          held = working[i];
          where = HeldThread::worker;
          // The requests queued behind it need a worker: a new one takes
          // its place, and the held one is left where it is.
          threads[i].detach();
          threads[i] = std::thread([this, i] { work(i); });
        }
      }
    }
  }
  if (held == nullptr) {
    return HeldThread::none;
  }
  held->core.give_up(hook, code, hung);
  deliver(*held);
  return where;
}

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

void DhcpServer::drain() {
  state_->drain();
}

DhcpServer::HeldThread DhcpServer::give_up_call(std::thread::id thread, loader::Hook hook,
                                                DWORD code, const loader::HookCall& hung) {
  return state_->give_up_call(thread, hook, code, hung);
}

void DhcpServer::stop_taking_requests() {
  state_->stopped.store(true, std::memory_order_relaxed);
}

void DhcpServer::finish(std::uint64_t requests_seen) {
  state_->drain();
  state_->model.finish(requests_seen, state_->observer);
}

std::size_t DhcpServer::lease_count() const {
  return state_->model.lease_count();
}

}  // namespace calloutemu::server
