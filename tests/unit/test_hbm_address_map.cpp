// Address mapping: the mixed-radix split is a bijection, interleaves as declared, and handles
// stack counts that are not powers of two.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

#include "hw/hardware.h"
#include "models/hbm/address_map.h"
#include "sim/config/loader.h"

using namespace strata;
using hbm::AddressMap;
using hbm::Location;

namespace {

hw::MemorySpec h800() {
  return hw::HardwareSpec::schema()
      .bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"))
      .memory;
}

auto key(const Location& l) {
  return std::make_tuple(l.stack, l.channel, l.pseudo_channel, l.bank_group, l.bank, l.row, l.column);
}

}  // namespace

TEST(HbmAddressMap, DefaultMappingInterleavesSixtyFourBytesOverEveryPseudoChannel) {
  hw::MemorySpec m = h800();
  AddressMap map(m);
  EXPECT_EQ(map.addressable_bytes(), uint64_t(80) << 30);  // 5 x 16 GiB
  // column:2 is the lowest digit: the two 32 B bursts of a 64 B block share a row.
  Location a = map.decode(0), b = map.decode(32), c = map.decode(64);
  EXPECT_EQ(map.pseudo_channel_index(a), map.pseudo_channel_index(b));
  EXPECT_EQ(b.column, a.column + 1);
  EXPECT_EQ(c.stack, 1);  // then the stack (5 of them), the channel, the pseudo-channel
  std::set<int> pcs;
  for (uint64_t i = 0; i < 160; ++i) pcs.insert(map.pseudo_channel_index(map.decode(i * 64)));
  EXPECT_EQ(pcs.size(), 160u);
  // The 161st block returns to pseudo-channel 0, in the next bank group, same row and columns.
  Location next = map.decode(160 * 64);
  EXPECT_EQ(map.pseudo_channel_index(next), 0);
  EXPECT_EQ(next.bank_group, 1);
  EXPECT_EQ(next.column, 0);
  // After 4 bank groups, the next two columns of the same rows.
  Location later = map.decode(4 * 160 * 64);
  EXPECT_EQ(later.bank_group, 0);
  EXPECT_EQ(later.column, 2);
  EXPECT_EQ(later.row, 0);
}

TEST(HbmAddressMap, DecodeAndEncodeAreInverse) {
  AddressMap map(h800());
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    uint64_t a = rng() % map.addressable_bytes() / 32 * 32;
    Location l = map.decode(a);
    EXPECT_EQ(map.encode(l), a);
    EXPECT_LT(l.stack, 5);
    EXPECT_LT(l.row, 32768);
    EXPECT_LT(l.column, 32);
  }
}

TEST(HbmAddressMap, EveryBurstOfASmallMemoryHasItsOwnLocation) {
  hw::MemorySpec m = h800();
  m.stacks = 3;
  m.organisation.channels = 2;
  m.organisation.rows = 4;
  m.controller.address_mapping = "column row bank_group stack bank channel pseudo_channel column:4";
  AddressMap map(m);
  const uint64_t bursts = map.addressable_bytes() / 32;
  EXPECT_EQ(bursts, uint64_t(3 * 2 * 2 * 16 * 4 * 32));
  std::set<decltype(key(Location{}))> seen;
  for (uint64_t i = 0; i < bursts; ++i) {
    Location l = map.decode(i * 32);
    seen.insert(key(l));
    ASSERT_EQ(map.encode(l), i * 32);
  }
  EXPECT_EQ(seen.size(), bursts);
  // Declared order, least significant first: column:4, pseudo_channel, channel, bank, stack, ...
  EXPECT_EQ(map.decode(4 * 32).pseudo_channel, 1);
  EXPECT_EQ(map.decode(8 * 32).channel, 1);
  EXPECT_EQ(map.decode(16 * 32).bank, 1);
  EXPECT_EQ(map.decode(64 * 32).stack, 1);
  EXPECT_EQ(map.decode(192 * 32).bank_group, 1);
  EXPECT_EQ(map.decode(768 * 32).row, 1);
  EXPECT_EQ(map.decode(3072 * 32).column, 4);  // the rest of the column is the top digit
}
