#include "calloutemu/reports/junit_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "output_file.h"
#include "xml_escape.h"

namespace calloutemu::reports {
namespace {

using detail::XmlContext;

// Seconds with microsecond digits, independent of the locale.
std::string seconds_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    seconds = 0;
  }
  std::array<char, 64> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds,
                                          std::chars_format::fixed, 6);
  if (error != std::errc()) {
    return "0";
  }
  return {buffer.data(), end};
}

void append_attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  detail::append_xml_escaped(out, value, XmlContext::attribute);
  out += '"';
}

void append_case(std::string& out, const JunitCase& test_case) {
  out += "    <testcase";
  append_attribute(out, "name", test_case.name);
  append_attribute(out, "classname", test_case.classname);
  append_attribute(out, "time", seconds_text(test_case.time));
  if (!test_case.failure && test_case.output.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (test_case.failure) {
    out += "      <failure";
    append_attribute(out, "type", test_case.failure->type);
    append_attribute(out, "message", test_case.failure->message);
    out += '>';
    detail::append_xml_escaped(out, test_case.failure->details, XmlContext::text);
    out += "</failure>\n";
  }
  if (!test_case.output.empty()) {
    out += "      <system-out>";
    for (std::size_t i = 0; i < test_case.output.size(); ++i) {
      if (i > 0) {
        out += '\n';
      }
      detail::append_xml_escaped(out, test_case.output[i], XmlContext::text);
    }
    out += "</system-out>\n";
  }
  out += "    </testcase>\n";
}

}  // namespace

struct JunitWriter::State {
  std::filesystem::path path;
  std::filesystem::path body_path;
  std::string suite_name;
  detail::OutputFile target;
  detail::OutputFile body;
  std::uint64_t tests = 0;
  std::uint64_t failures = 0;
  double time = 0;
  std::string buffer;                // reused for every case
  std::optional<Error> first_error;  // of add_case
  bool finished = false;

  Error fail(Error error) {
    target = {};
    body = {};
    detail::remove_quietly(body_path);
    detail::remove_quietly(path);
    finished = true;
    return error;
  }

  std::string totals() const {
    std::string out;
    append_attribute(out, "tests", std::to_string(tests));
    append_attribute(out, "failures", std::to_string(failures));
    append_attribute(out, "errors", "0");
    return out;
  }

  Status write_document();
  Status copy_body();
};

Status JunitWriter::State::write_document() {
  std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  append_attribute(head, "name", suite_name);
  head += totals();
  append_attribute(head, "time", seconds_text(time));
  head += ">\n  <testsuite";
  append_attribute(head, "name", suite_name);
  head += totals();
  append_attribute(head, "skipped", "0");
  append_attribute(head, "time", seconds_text(time));
  head += ">\n";
  if (Status written = target.write(head); !written) {
    return written;
  }
  if (Status copied = copy_body(); !copied) {
    return copied;
  }
  if (Status written = target.write("  </testsuite>\n</testsuites>\n"); !written) {
    return written;
  }
  return target.close();
}

Status JunitWriter::State::copy_body() {
  auto cases = detail::OutputFile::open(body_path, "rb");
  if (!cases) {
    return make_error(detail::display_name(body_path) +
                      ": cannot read back the test cases: " + cases.error().message);
  }
  std::array<char, 64 * 1024> chunk{};
  for (;;) {
    const std::size_t read = std::fread(chunk.data(), 1, chunk.size(), cases->get());
    if (Status written = target.write({chunk.data(), read}); !written) {
      return written;
    }
    if (read < chunk.size()) {
      break;
    }
  }
  if (std::ferror(cases->get()) != 0) {
    return make_error(detail::display_name(body_path) + ": cannot read back the test cases");
  }
  return {};
}

Result<JunitWriter> JunitWriter::create(const std::filesystem::path& path, std::string suite_name) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->body_path = path;
  state->body_path += ".cases.tmp";
  state->suite_name = std::move(suite_name);

  const std::string name = detail::display_name(path);
  auto target = detail::OutputFile::open(path, "wb");
  if (!target) {
    return make_error(name + ": cannot create the JUnit report: " + target.error().message);
  }
  state->target = std::move(*target);
  auto body = detail::OutputFile::open(state->body_path, "wb");
  if (!body) {
    return state->fail(make_error(name + ": cannot create the temporary file " +
                                  detail::display_name(state->body_path) + ": " +
                                  body.error().message));
  }
  state->body = std::move(*body);
  return JunitWriter(std::move(state));
}

JunitWriter::JunitWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
JunitWriter::JunitWriter(JunitWriter&& other) noexcept = default;
JunitWriter& JunitWriter::operator=(JunitWriter&& other) noexcept {
  if (this != &other) {
    if (state_ && !state_->finished) {
      static_cast<void>(state_->fail(make_error("abandoned")));
    }
    state_ = std::move(other.state_);
  }
  return *this;
}

JunitWriter::~JunitWriter() {
  if (state_ && !state_->finished) {
    static_cast<void>(state_->fail(make_error("abandoned")));
  }
}

void JunitWriter::add_case(const JunitCase& test_case) {
  if (!state_ || state_->finished || state_->first_error) {
    return;
  }
  State& state = *state_;
  state.buffer.clear();
  append_case(state.buffer, test_case);
  if (Status written = state.body.write(state.buffer); !written) {
    state.first_error = written.error();
    return;
  }
  ++state.tests;
  if (test_case.failure) {
    ++state.failures;
  }
  if (std::isfinite(test_case.time) && test_case.time > 0) {
    state.time += test_case.time;
  }
}

Status JunitWriter::finish() {
  if (!state_ || state_->finished) {
    return make_error("the JUnit report was finished already");
  }
  State& state = *state_;
  if (state.first_error) {
    return state.fail(*state.first_error);
  }
  if (Status closed = state.body.close(); !closed) {
    return state.fail(closed.error());
  }
  if (Status written = state.write_document(); !written) {
    return state.fail(written.error());
  }
  state.finished = true;
  detail::remove_quietly(state.body_path);
  return {};
}

std::uint64_t JunitWriter::cases() const {
  return state_ ? state_->tests : 0;
}

std::uint64_t JunitWriter::failures() const {
  return state_ ? state_->failures : 0;
}

const std::filesystem::path& JunitWriter::path() const {
  static const std::filesystem::path moved_from;
  return state_ ? state_->path : moved_from;
}

std::filesystem::path JunitWriter::temporary_path() const {
  return state_ ? state_->body_path : std::filesystem::path();
}

}  // namespace calloutemu::reports
