#include "host_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "host_protocol.h"

extern char** environ;

namespace calloutemu::loader::host {
namespace {

std::string system_error(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

bool is_writable_directory(const char* path) {
  struct stat info {};
  return path != nullptr && path[0] != '\0' && stat(path, &info) == 0 && S_ISDIR(info.st_mode) &&
         access(path, W_OK | X_OK) == 0;
}

std::string channel_directory() {
  if (is_writable_directory("/dev/shm")) {
    return "/dev/shm";
  }
  const char* tmpdir = std::getenv("TMPDIR");
  return is_writable_directory(tmpdir) ? tmpdir : "/tmp";
}

// Pipe ends that stay clear of 0, 1 and 2, so dup2 onto those in the child
// always makes a fresh descriptor (dup2 of a descriptor onto itself would
// keep its close-on-exec flag).
bool make_pipe(std::array<int, 2>& ends) {
  if (pipe2(ends.data(), O_CLOEXEC) != 0) {
    return false;
  }
  for (int& end : ends) {
    if (end < 3) {
      const int moved = fcntl(end, F_DUPFD_CLOEXEC, 3);
      close(end);
      end = moved;
    }
  }
  if (ends[0] < 0 || ends[1] < 0) {
    for (int end : ends) {
      if (end >= 0) {
        close(end);
      }
    }
    return false;
  }
  return true;
}

void close_all(std::initializer_list<int> descriptors) {
  for (int descriptor : descriptors) {
    if (descriptor >= 0) {
      close(descriptor);
    }
  }
}

HostExit describe_status(int status) {
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    return {"exited with status " + std::to_string(code), static_cast<std::uint32_t>(code),
            code == 0};
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    return {"killed by signal " + std::to_string(signal_number),
            static_cast<std::uint32_t>(signal_number), false};
  }
  return {"ended with wait status " + std::to_string(status), 0, false};
}

// Our environment with `overrides` set on top: the strings live in `storage`.
std::vector<char*> build_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides,
    std::vector<std::string>& storage) {
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    const bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                      [&](const auto& pair) { return pair.first == name; });
    if (!replaced) {
      storage.emplace_back(text);
    }
  }
  for (const auto& [name, value] : overrides) {
    storage.push_back(name + "=" + value);
  }
  std::vector<char*> pointers;
  pointers.reserve(storage.size() + 1);
  for (auto& text : storage) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

// --- SharedFile ------------------------------------------------------------

Result<SharedFile> SharedFile::create(std::size_t size) {
  std::string path = channel_directory() + "/calloutemu-host-XXXXXX";
  const int descriptor = mkostemp(path.data(), O_CLOEXEC);
  if (descriptor < 0) {
    return make_error(system_error("cannot create the channel file " + path, errno));
  }
  if (ftruncate(descriptor, static_cast<off_t>(size)) != 0) {
    const int error = errno;
    close(descriptor);
    unlink(path.c_str());
    return make_error(system_error("cannot size the channel file " + path, error));
  }
  void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0);
  const int error = errno;
  close(descriptor);
  if (data == MAP_FAILED) {
    unlink(path.c_str());
    return make_error(system_error("cannot map the channel file " + path, error));
  }
  SharedFile file;
  file.data_ = static_cast<std::uint8_t*>(data);
  file.size_ = size;
  file.path_ = std::move(path);
  file.owner_ = true;
  return file;
}

Result<SharedFile> SharedFile::open(const std::string& path, std::size_t min_size) {
  const int descriptor = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (descriptor < 0) {
    return make_error(system_error("cannot open the channel " + path, errno));
  }
  struct stat info {};
  if (fstat(descriptor, &info) != 0 || info.st_size < 0 ||
      static_cast<std::uint64_t>(info.st_size) < min_size) {
    close(descriptor);
    return make_error("the channel " + path + " is too small to be one");
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0);
  const int error = errno;
  close(descriptor);
  if (data == MAP_FAILED) {
    return make_error(system_error("cannot map the channel " + path, error));
  }
  SharedFile file;
  file.data_ = static_cast<std::uint8_t*>(data);
  file.size_ = size;
  file.path_ = path;
  return file;
}

void SharedFile::remove() {
  if (owner_) {
    unlink(path_.c_str());
    owner_ = false;
  }
}

void SharedFile::release() {
  remove();
  if (data_ != nullptr) {
    munmap(data_, size_);
    data_ = nullptr;
  }
}

// --- NoAccessRegion --------------------------------------------------------

namespace {
constexpr std::uint64_t kNoAccessWanted = (std::uint64_t{1} << 32) + 64 * 1024;
constexpr std::size_t kNoAccessSize =
    kNoAccessWanted < SIZE_MAX / 2 ? static_cast<std::size_t>(kNoAccessWanted) : SIZE_MAX / 4;
}  // namespace

Result<NoAccessRegion> NoAccessRegion::reserve() {
  void* data =
      mmap(nullptr, kNoAccessSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (data == MAP_FAILED) {
    return make_error(system_error("cannot reserve address space", errno));
  }
  return NoAccessRegion(static_cast<std::uint8_t*>(data), kNoAccessSize);
}

NoAccessRegion::~NoAccessRegion() {
  if (data_ != nullptr) {
    munmap(data_, size_);
  }
}

bool NoAccessRegion::contains(const void* pointer) const {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto start = reinterpret_cast<std::uintptr_t>(data_);
  return data_ != nullptr && address >= start && address - start < size_;
}

// --- HostProcess -----------------------------------------------------------

struct HostProcess::State {
  pid_t pid = -1;
  int to_host = -1;    // the host's standard input
  int from_host = -1;  // the host's standard output
  std::optional<HostExit> exit;

  ~State() {
    if (pid > 0 && !exit) {
      kill(pid, SIGKILL);
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    close_all({to_host, from_host});
  }
};

HostProcess::HostProcess(std::unique_ptr<State> state) : state_(std::move(state)) {}
HostProcess::HostProcess(HostProcess&& other) noexcept = default;
HostProcess& HostProcess::operator=(HostProcess&& other) noexcept = default;
HostProcess::~HostProcess() = default;

Result<HostProcess> HostProcess::spawn(const HostSpawn& spawn) {
  if (spawn.argv.empty() || spawn.argv[0].empty()) {
    return make_error("no host program given");
  }
  std::array<int, 2> input{-1, -1};
  std::array<int, 2> output{-1, -1};
  if (!make_pipe(input)) {
    return make_error(system_error("cannot create a pipe", errno));
  }
  if (!make_pipe(output)) {
    const int error = errno;
    close_all({input[0], input[1]});
    return make_error(system_error("cannot create a pipe", error));
  }

  std::vector<std::string> arguments(spawn.argv);
  std::vector<char*> argv;
  for (auto& argument : arguments) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> environment_storage;
  auto envp = build_environment(spawn.environment, environment_storage);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close_all({input[0], output[1]});
  if (spawned != 0) {
    close_all({input[1], output[0]});
    return make_error(system_error("cannot start " + spawn.argv[0], spawned));
  }
  // The wake pipe must never block this process; the host's output is
  // drained without blocking once poll() says it is readable.
  fcntl(input[1], F_SETFL, fcntl(input[1], F_GETFL) | O_NONBLOCK);
  fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK);

  auto state = std::make_unique<State>();
  state->pid = pid;
  state->to_host = input[1];
  state->from_host = output[0];
  return HostProcess(std::move(state));
}

void HostProcess::wake() {
  // A host that died has closed the pipe: writing would raise SIGPIPE, which
  // kills this process unless someone handles it. Block it on this thread for
  // the write, and take back the one the write raised.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  const std::uint8_t byte = kWakeHost;
  const ssize_t written = write(state_->to_host, &byte, 1);
  if (written < 0 && errno == EPIPE && !was_pending) {
    const timespec no_wait{};
    sigtimedwait(&pipe_signal, nullptr, &no_wait);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

HostSignal HostProcess::wait(std::chrono::milliseconds timeout, std::uint8_t& unexpected_byte) {
  pollfd entry{state_->from_host, POLLIN, 0};
  const int ready = poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(timeout.count(), 0)));
  if (ready <= 0) {
    return HostSignal::timed_out;  // nothing, or EINTR: the caller looks again
  }
  std::array<std::uint8_t, 64> bytes{};
  const ssize_t count = read(state_->from_host, bytes.data(), bytes.size());
  if (count == 0) {
    return HostSignal::closed;
  }
  if (count < 0) {
    return errno == EAGAIN || errno == EINTR ? HostSignal::timed_out : HostSignal::closed;
  }
  for (ssize_t i = 0; i < count; ++i) {
    if (bytes[static_cast<std::size_t>(i)] != kWakeClient) {
      unexpected_byte = bytes[static_cast<std::size_t>(i)];
      return HostSignal::unexpected;
    }
  }
  return HostSignal::woken;
}

std::optional<HostExit> HostProcess::exited() {
  if (!state_->exit) {
    int status = 0;
    const pid_t reaped = waitpid(state_->pid, &status, WNOHANG);
    if (reaped == state_->pid) {
      state_->exit = describe_status(status);
    } else if (reaped < 0 && errno == ECHILD) {
      state_->exit = HostExit{"was reaped by someone else", 0, false};
    }
  }
  return state_->exit;
}

HostExit HostProcess::finish(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!exited() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (!state_->exit) {
    kill(state_->pid, SIGKILL);
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(state_->pid, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    state_->exit = reaped == state_->pid ? describe_status(status)
                                         : HostExit{"was reaped by someone else", 0, false};
    state_->exit->description +=
        " (killed: it did not exit within " + std::to_string(grace.count()) + " ms)";
  }
  return *state_->exit;
}

std::string path_for_host(const std::string& path, bool windows_host) {
  if (!windows_host) {
    return path;
  }
  std::string translated = "Z:" + path;
  std::replace(translated.begin(), translated.end(), '/', '\\');
  return translated;
}

}  // namespace calloutemu::loader::host
