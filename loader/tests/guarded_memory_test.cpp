#include "calloutemu/loader/guarded_memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::loader {
namespace {

std::uintptr_t address_of(const void* pointer) {
  return reinterpret_cast<std::uintptr_t>(pointer);
}

TEST(GuardedMemory, BlocksEndAtAPageEndAndTheNextByteFaults) {
  GuardedMemory memory;
  FaultTrap trap;
  auto* block = memory.allocate(4096, "receive buffer");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ((address_of(block) + 4096) % GuardedMemory::page_size(), 0u);
  EXPECT_FALSE(trap.run([&] { std::memset(block, 0x11, 4096); }));
  EXPECT_EQ(block[4095], 0x11);

  volatile std::uint8_t* past = block + 4096;
  const auto fault = trap.run([&] { *past = 1; });
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->accessed, address_of(block + 4096));
  const auto where = memory.locate(fault->accessed);
  ASSERT_TRUE(where);
  EXPECT_EQ(where->label, "receive buffer");
  EXPECT_EQ(where->area, GuardedMemory::Area::past_end);
  EXPECT_EQ(where->offset, 4096u);
}

TEST(GuardedMemory, OddSizesStillEndAtThePageEnd) {
  GuardedMemory memory;
  auto* block = memory.allocate(13, "ChainDlls");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ((address_of(block) + 13) % GuardedMemory::page_size(), 0u);
  EXPECT_FALSE(memory.locate(address_of(block)));
  EXPECT_FALSE(memory.locate(address_of(block) + 5000 + GuardedMemory::page_size()));
}

TEST(GuardedMemory, ARetiredBlockIsPoisonedAndFaultsUntilReopened) {
  GuardedMemory memory;
  FaultTrap trap;
  auto* block = memory.allocate(64, "DHCP_SERVER_OPTIONS");
  ASSERT_NE(block, nullptr);
  block[10] = 0x42;
  ASSERT_TRUE(memory.retire(block, 0xFD));
  volatile std::uint8_t sink = 0;
  const auto fault = trap.run([&] { sink = block[10]; });
  ASSERT_TRUE(fault);
  const auto where = memory.locate(fault->accessed);
  ASSERT_TRUE(where);
  EXPECT_EQ(where->label, "DHCP_SERVER_OPTIONS");
  EXPECT_EQ(where->area, GuardedMemory::Area::retired);
  EXPECT_EQ(where->offset, 10u);

  ASSERT_TRUE(memory.reopen(block));
  EXPECT_FALSE(memory.locate(address_of(block + 10)));
  EXPECT_EQ(block[10], 0xFD);  // poisoned, not what was there
  EXPECT_FALSE(trap.run([&] { block[10] = 1; }));
}

TEST(GuardedMemory, UnknownBlocksAreRefused) {
  GuardedMemory memory;
  std::uint8_t own[8] = {};
  EXPECT_FALSE(memory.retire(own, 0));
  EXPECT_FALSE(memory.reopen(own));
}

}  // namespace
}  // namespace calloutemu::loader
