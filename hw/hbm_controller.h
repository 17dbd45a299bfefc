// The memory controller in front of each HBM pseudo-channel: queues, scheduling policy, refresh
// mode and the address mapping that spreads physical addresses over stacks, channels and banks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/schema.h"

namespace strata::hw {

enum class PagePolicy { open, closed };
enum class RefreshMode { all_bank, per_bank, none };

struct HbmControllerSpec {
  int read_queue = 0;                  ///< read requests held per pseudo-channel
  int write_queue = 0;                 ///< write requests held per pseudo-channel
  int frontend_queue = 0;              ///< requests that may wait in front of those queues
  double write_high_watermark = 0;     ///< write-queue fill that starts a write drain
  double write_low_watermark = 0;      ///< write-queue fill that ends it (when reads wait)
  PagePolicy page_policy = PagePolicy::open;
  RefreshMode refresh = RefreshMode::all_bank;
  int row_hit_cap = 0;                 ///< row hits served before an older miss may close the row (0: no cap)
  std::string address_mapping;         ///< address fields, most significant first (see docs/architecture.md)

  static const config::Schema<HbmControllerSpec>& schema();
};

/// One digit of the mixed-radix address decomposition: a field and how many values it spans.
enum class AddressField { stack, channel, pseudo_channel, bank_group, bank, row, column };
const char* address_field_name(AddressField f);

struct AddressDigit {
  AddressField field = AddressField::column;
  int64_t count = 1;
};

/// Parses an address mapping ("row bank column bank_group pseudo_channel channel stack column:2")
/// into digits, least significant first, with each count resolved from the organisation. Every
/// field appears once except `column`, which may be split: each part but one names its count
/// (`column:2`), and the counts of the parts multiply to the columns of a row. Throws
/// std::invalid_argument saying what is wrong.
std::vector<AddressDigit> resolve_address_mapping(const std::string& text, int64_t stacks,
                                                  int64_t channels, int64_t pseudo_channels,
                                                  int64_t bank_groups, int64_t banks_per_group,
                                                  int64_t rows, int64_t columns);

}  // namespace strata::hw
