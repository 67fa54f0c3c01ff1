// What the callout host protocol needs from the operating system
// (posix/host_process.cpp, win32/host_process.cpp): the shared channel file,
// memory that faults when read, and the host process with its two pipes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::loader::host {

// A file mapped shared into this process. The client creates it (and
// removes it, at the latest when the object goes); the host opens it by path.
class SharedFile {
 public:
  // A new file of `size` bytes, zero-filled, in memory-backed storage when
  // there is some (/dev/shm), else in the temporary directory.
  static Result<SharedFile> create(std::size_t size);
  // An existing file, mapped whole; it must hold at least `min_size` bytes.
  static Result<SharedFile> open(const std::string& path, std::size_t min_size);

  SharedFile(SharedFile&& other) noexcept;
  SharedFile& operator=(SharedFile&& other) noexcept;
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;
  ~SharedFile();

  std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Removes the file's name; the mappings stay. Idempotent. (Windows: the
  // file goes by itself when the last handle to it closes.)
  void remove();

 private:
  SharedFile() = default;
  void release();

  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
  bool owner_ = false;        // created here: removed by remove() or the destructor
  std::intptr_t handle_ = 0;  // the platform's mapping handle, where it needs one
};

// Address space every access to which faults, at least 4 GiB + 64 KiB long,
// so that any DWORD length read from its start faults: what the client hands
// the server for a callout buffer the host could not read, and what the host
// hands a callout for memory the client could not read.
class NoAccessRegion {
 public:
  static Result<NoAccessRegion> reserve();

  NoAccessRegion(NoAccessRegion&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(other.size_) {}
  NoAccessRegion& operator=(NoAccessRegion&&) = delete;
  NoAccessRegion(const NoAccessRegion&) = delete;
  NoAccessRegion& operator=(const NoAccessRegion&) = delete;
  ~NoAccessRegion();

  std::uint8_t* data() const { return data_; }
  bool contains(const void* pointer) const;

 private:
  NoAccessRegion(std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t* data_;
  std::size_t size_;
};

// How a host process ended.
struct HostExit {
  std::string description;  // "exited with status 3", "killed by signal 9"
  std::uint32_t code = 0;   // the exit status, or the signal
  bool normal = false;      // it exited with status 0
};

// What waiting for a byte from the host found.
enum class HostSignal {
  woken,       // the host wrote its wake byte (one or more)
  timed_out,   // nothing within the time given
  closed,      // the host closed its output or exited
  unexpected,  // it wrote another byte: it does not speak the protocol
};

struct HostSpawn {
  std::vector<std::string> argv;                                 // the program, then its arguments
  std::vector<std::pair<std::string, std::string>> environment;  // set on top of ours
};

// A started host: its standard input is the client's wake pipe, its standard
// output the host's; standard error is shared with this process. The
// destructor kills a host that still runs and reaps it.
class HostProcess {
 public:
  static Result<HostProcess> spawn(const HostSpawn& spawn);

  HostProcess(HostProcess&& other) noexcept;
  HostProcess& operator=(HostProcess&& other) noexcept;
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;
  ~HostProcess();

  // Writes the host's wake byte; never blocks, and a host that is gone is
  // no error here (waiting finds out).
  void wake();
  // Waits for bytes from the host, up to `timeout`; reads all there are.
  HostSignal wait(std::chrono::milliseconds timeout, std::uint8_t& unexpected_byte);
  // The host's exit, once it exited; reaps it then. Never blocks.
  std::optional<HostExit> exited();
  // Waits up to `grace` for the host to exit, then kills it; reaps it.
  HostExit finish(std::chrono::milliseconds grace);

 private:
  struct State;
  explicit HostProcess(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The path as the host is given it: for a Windows host under Wine, a POSIX
// path becomes Z: and backslashes.
std::string path_for_host(const std::string& path, bool windows_host);

}  // namespace calloutemu::loader::host
