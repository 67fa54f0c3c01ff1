#include "run_program.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace calloutemu::test {
namespace {

void drain(int fd, std::string& into, bool& open) {
  std::array<char, 4096> chunk{};
  const ssize_t n = read(fd, chunk.data(), chunk.size());
  if (n > 0) {
    into.append(chunk.data(), static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    open = false;
  }
}

[[noreturn]] void exec_child(const std::vector<std::string>& args, const RunOptions& options,
                             int out_fd, int err_fd) {
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
  }
  if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
    dprintf(STDERR_FILENO, "cannot chdir to %s: %s\n", options.cwd.c_str(), strerror(errno));
    _exit(127);
  }
  for (const auto& [name, value] : options.env) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  std::vector<char*> argv;
  for (const auto& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

}  // namespace

ProgramRun run_program(const std::vector<std::string>& args, const RunOptions& options) {
  ProgramRun run;
  int out_pipe[2];
  int err_pipe[2];
  if (args.empty() || pipe2(out_pipe, O_CLOEXEC) != 0) {
    run.exit_code = 127;
    run.err = "no program or no pipe";
    return run;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    run.exit_code = 127;
    run.err = "no pipe";
    return run;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    exec_child(args, options, out_pipe[1], err_pipe[1]);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    std::array<pollfd, 2> fds{pollfd{out_open ? out_pipe[0] : -1, POLLIN, 0},
                              pollfd{err_open ? err_pipe[0] : -1, POLLIN, 0}};
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
      break;
    }
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      drain(out_pipe[0], run.out, out_open);
    }
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      drain(err_pipe[0], run.err, err_open);
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    run.exit_code = 127;
    return run;
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace calloutemu::test
