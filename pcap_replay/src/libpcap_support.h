// What the reader and the writer share around libpcap.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "calloutemu/result.h"

struct timeval;

namespace calloutemu::pcap_replay {

struct FileCloser {
  void operator()(std::FILE* file) const;
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// fopen with the operating system's reason on failure ("No such file or
// directory"). We open files ourselves rather than let libpcap do it, so
// that "cannot open" is told apart from "not a capture file" without
// parsing libpcap's messages.
Result<FilePtr> open_file(const std::filesystem::path& path, const char* mode);

// The reason for an errno value, thread-safely.
std::string errno_reason(int error_number);

// A libpcap timestamp read with nanosecond precision (tv_usec holds
// nanoseconds). Saturates: pcapng can hold seconds beyond int64 nanoseconds.
std::chrono::nanoseconds timestamp_from(const timeval& ts);

}  // namespace calloutemu::pcap_replay
