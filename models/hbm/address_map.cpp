#include "models/hbm/address_map.h"

namespace strata::hbm {
using hw::AddressField;

AddressMap::AddressMap(const hw::MemorySpec& m) {
  const hw::HbmOrganisation& o = m.organisation;
  digits_ = hw::resolve_address_mapping(m.controller.address_mapping, m.stacks, o.channels,
                                        o.pseudo_channels, o.bank_groups, o.banks_per_group, o.rows,
                                        o.columns());
  burst_bytes_ = o.burst_bytes();
  channels_ = o.channels;
  pseudo_channels_ = o.pseudo_channels;
  banks_per_group_ = o.banks_per_group;
  addressable_ = uint64_t(burst_bytes_);
  for (const hw::AddressDigit& d : digits_) addressable_ *= uint64_t(d.count);
}

Location AddressMap::decode(uint64_t address) const {
  uint64_t i = address / uint64_t(burst_bytes_);
  Location l;
  int64_t column_weight = 1;
  for (const hw::AddressDigit& d : digits_) {
    int64_t v = int64_t(i % uint64_t(d.count));
    i /= uint64_t(d.count);
    switch (d.field) {
      case AddressField::stack: l.stack = int(v); break;
      case AddressField::channel: l.channel = int(v); break;
      case AddressField::pseudo_channel: l.pseudo_channel = int(v); break;
      case AddressField::bank_group: l.bank_group = int(v); break;
      case AddressField::bank: l.bank = int(v); break;
      case AddressField::row: l.row = v; break;
      case AddressField::column:
        l.column += int(v * column_weight);
        column_weight *= d.count;
        break;
    }
  }
  return l;
}

uint64_t AddressMap::encode(const Location& l) const {
  uint64_t index = 0, weight = 1;
  int64_t column_weight = 1;
  for (const hw::AddressDigit& d : digits_) {
    int64_t v = 0;
    switch (d.field) {
      case AddressField::stack: v = l.stack; break;
      case AddressField::channel: v = l.channel; break;
      case AddressField::pseudo_channel: v = l.pseudo_channel; break;
      case AddressField::bank_group: v = l.bank_group; break;
      case AddressField::bank: v = l.bank; break;
      case AddressField::row: v = l.row; break;
      case AddressField::column:
        v = (l.column / column_weight) % d.count;
        column_weight *= d.count;
        break;
    }
    index += uint64_t(v) * weight;
    weight *= uint64_t(d.count);
  }
  return index * uint64_t(burst_bytes_);
}

}  // namespace strata::hbm
