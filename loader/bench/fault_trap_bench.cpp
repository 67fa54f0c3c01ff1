// What FaultTrap::run adds to every hook call: run() around an empty
// function, against calling the same function directly.
#include <benchmark/benchmark.h>

#include "calloutemu/loader/fault_trap.h"

namespace {

using calloutemu::loader::FaultTrap;

// Called through a volatile pointer so that neither loop can inline it away.
void empty_function() {}
void (*volatile g_function)() = &empty_function;

void BM_DirectCall(benchmark::State& state) {
  for (auto _ : state) {
    g_function();
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_DirectCall);

void BM_FaultTrapRun(benchmark::State& state) {
  FaultTrap trap;
  for (auto _ : state) {
    auto fault = trap.run([] { g_function(); });
    benchmark::DoNotOptimize(fault);
  }
}
BENCHMARK(BM_FaultTrapRun);

}  // namespace

BENCHMARK_MAIN();
