// A JUnit XML report, one test case per request, written as the run goes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"
#include "calloutemu/server/outcome.h"

namespace calloutemu::reports {

struct JunitFailure {
  std::string type;
  std::string message;
  std::string details;  // the element's text
};

struct JunitCase {
  std::string name;
  std::string classname;
  double time = 0;                  // seconds; negative or not finite: written as 0
  std::vector<std::string> output;  // lines of <system-out>: the hook sequence
  std::optional<JunitFailure> failure;
};

// Writes
//   <testsuites name=SUITE tests= failures= errors="0" time=>
//     <testsuite name=SUITE tests= failures= errors="0" skipped="0" time=>
//       <testcase name= classname= time=>[<failure type= message=>details</failure>]
//                                         [<system-out>lines</system-out>]
// The counts come first but are known only at the end, so cases go to a
// temporary file beside the target (TARGET.cases.tmp) as they are added, and
// finish() writes the header and copies them after it. Both files are gone
// after a failed finish(), and when the writer is destroyed unfinished.
// Text is escaped for XML 1.0 (see xml_escape.h): anything XML cannot carry,
// invalid UTF-8 included, becomes U+FFFD.
class JunitWriter {
 public:
  // Creates the target at once (so an unwritable path is known before the
  // run) and the temporary file. Errors name the target.
  static Result<JunitWriter> create(const std::filesystem::path& path,
                                    std::string suite_name = "calloutemu");

  JunitWriter(JunitWriter&& other) noexcept;
  JunitWriter& operator=(JunitWriter&& other) noexcept;
  ~JunitWriter();

  // A write error is kept and returned by finish(); later cases are dropped.
  void add_case(const JunitCase& test_case);
  // Writes the document; the first error wins. Call it once.
  Status finish();

  std::uint64_t cases() const;
  std::uint64_t failures() const;
  const std::filesystem::path& path() const;
  std::filesystem::path temporary_path() const;

 private:
  struct State;
  explicit JunitWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A request as a test case: name "frame F CLIENT TYPE" (CLIENT: chaddr's hlen
// bytes as aa:bb:..., "unknown" when the datagram is too short; TYPE as the
// server read it, else as the captured datagram says: DISCOVER, ..., "type N"
// for values without a name, "BOOTP" without option 53, "unreadable" when
// neither says), classname "calloutemu.NAME" with NAME the file name of
// `capture_name`, time 0 (the caller may add the hooks' time). `hook_lines`
// become <system-out>, then one "finding: ..." line per finding. A request
// with faults fails with type "hook fault"; its details are the lines of the
// hooks that crashed.
JunitCase request_case(const server::RequestOutcome& outcome, std::string_view capture_name,
                       std::vector<std::string> hook_lines);

// One hook call in a line: "PktDrop(DUPLICATE) -> 0", "NewPkt -> 0, ProcessIt=FALSE",
// "AddressOffer(NEW) -> crashed: SIGSEGV ...", "PktSend(SEND_PACKET) -> 87 (0x00000057)".
// With record.arguments: ProcessIt when NewPkt left it FALSE, a replaced
// packet, AddressDel's and AddressOffer's address, DeleteClient's client. A
// crash reads "crashed: DESCRIPTION at LOCATION" and is followed by its
// backtrace (fault_backtrace_lines), so JUnit's failure details carry both.
std::string hook_line(const server::HookRecord& record);

}  // namespace calloutemu::reports
