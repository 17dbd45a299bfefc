// Physical address -> (stack, channel, pseudo-channel, bank group, bank, row, column) by the
// controller's address mapping: a mixed-radix split of the burst index, so stack counts that are
// not powers of two (H100: 5 stacks) interleave as evenly as the rest.
#pragma once

#include <cstdint>
#include <vector>

#include "hw/memory.h"

namespace strata::hbm {

struct Location {
  int stack = 0, channel = 0, pseudo_channel = 0, bank_group = 0, bank = 0;
  int64_t row = 0;
  int column = 0;  ///< burst index within the row
};

class AddressMap {
 public:
  explicit AddressMap(const hw::MemorySpec& m);

  /// Where the burst holding byte `address` lives.
  Location decode(uint64_t address) const;
  /// First byte of the burst at `l` (the inverse of decode on burst-aligned addresses).
  uint64_t encode(const Location& l) const;

  /// Pseudo-channel index over the whole memory: stack-major, then channel, then pseudo-channel.
  int pseudo_channel_index(const Location& l) const {
    return (l.stack * channels_ + l.channel) * pseudo_channels_ + l.pseudo_channel;
  }
  /// Bank index within its pseudo-channel: bank group-major.
  int bank_index(const Location& l) const { return l.bank_group * banks_per_group_ + l.bank; }
  int burst_bytes() const { return burst_bytes_; }
  uint64_t addressable_bytes() const { return addressable_; }
  const std::vector<hw::AddressDigit>& digits() const { return digits_; }  ///< least significant first

 private:
  std::vector<hw::AddressDigit> digits_;
  int burst_bytes_ = 0, channels_ = 0, pseudo_channels_ = 0, banks_per_group_ = 0;
  uint64_t addressable_ = 0;
};

}  // namespace strata::hbm
