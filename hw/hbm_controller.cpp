#include "hw/hbm_controller.h"

#include <sstream>
#include <stdexcept>

namespace strata::hw {

const char* address_field_name(AddressField f) {
  switch (f) {
    case AddressField::stack: return "stack";
    case AddressField::channel: return "channel";
    case AddressField::pseudo_channel: return "pseudo_channel";
    case AddressField::bank_group: return "bank_group";
    case AddressField::bank: return "bank";
    case AddressField::row: return "row";
    case AddressField::column: return "column";
  }
  return "?";
}

std::vector<AddressDigit> resolve_address_mapping(const std::string& text, int64_t stacks,
                                                  int64_t channels, int64_t pseudo_channels,
                                                  int64_t bank_groups, int64_t banks_per_group,
                                                  int64_t rows, int64_t columns) {
  const std::vector<std::pair<AddressField, int64_t>> fields = {
      {AddressField::stack, stacks},           {AddressField::channel, channels},
      {AddressField::pseudo_channel, pseudo_channels}, {AddressField::bank_group, bank_groups},
      {AddressField::bank, banks_per_group},   {AddressField::row, rows},
      {AddressField::column, columns}};
  std::string allowed;
  for (auto& f : fields) allowed += std::string(allowed.empty() ? "" : ", ") + address_field_name(f.first);

  std::vector<AddressDigit> msb_first;
  std::vector<int> seen(fields.size(), 0);
  int open_column = -1;  // index in msb_first of the column part without a count
  int64_t column_product = 1;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    std::string name = word, count_text;
    size_t colon = word.find(':');
    if (colon != std::string::npos) name = word.substr(0, colon), count_text = word.substr(colon + 1);
    size_t f = 0;
    while (f < fields.size() && name != address_field_name(fields[f].first)) ++f;
    if (f == fields.size())
      throw std::invalid_argument("unknown field '" + name + "' (fields: " + allowed + ")");
    AddressDigit d{fields[f].first, fields[f].second};
    if (d.field != AddressField::column) {
      if (!count_text.empty())
        throw std::invalid_argument("only column may be split with ':COUNT', not '" + word + "'");
      if (seen[f]++) throw std::invalid_argument("field '" + name + "' appears twice");
    } else if (count_text.empty()) {
      if (open_column >= 0)
        throw std::invalid_argument("column appears twice without a count; give all but one part "
                                    "a count, e.g. column:2");
      open_column = int(msb_first.size());
      ++seen[f];
    } else {
      int64_t c = 0;
      try {
        size_t used = 0;
        c = std::stoll(count_text, &used);
        if (used != count_text.size()) c = 0;
      } catch (...) {
      }
      if (c < 1) throw std::invalid_argument("'" + word + "': the count must be a positive integer");
      d.count = c;
      column_product *= c;
      ++seen[f];
    }
    msb_first.push_back(d);
  }
  for (size_t f = 0; f < fields.size(); ++f)
    if (!seen[f])
      throw std::invalid_argument(std::string("field '") + address_field_name(fields[f].first) +
                                  "' is missing (every one of " + allowed + " must appear)");
  if (open_column < 0)
    throw std::invalid_argument("one column part must go without a count (it takes the rest)");
  if (columns % column_product != 0)
    throw std::invalid_argument("the column counts multiply to " + std::to_string(column_product) +
                                ", which does not divide the " + std::to_string(columns) +
                                " columns (bursts) of a row");
  msb_first[size_t(open_column)].count = columns / column_product;
  return std::vector<AddressDigit>(msb_first.rbegin(), msb_first.rend());
}

const config::Schema<HbmControllerSpec>& HbmControllerSpec::schema() {
  static const config::Schema<HbmControllerSpec> s = [] {
    config::Schema<HbmControllerSpec> s("hbm controller", "Memory controller of each pseudo-channel");
    s.integer("read_queue", &HbmControllerSpec::read_queue, "Read requests held per pseudo-channel")
        .def("64")
        .min(1)
        .max(4096);
    s.integer("write_queue", &HbmControllerSpec::write_queue, "Write requests held per pseudo-channel")
        .def("64")
        .min(1)
        .max(4096);
    s.integer("frontend_queue", &HbmControllerSpec::frontend_queue,
              "Requests per pseudo-channel and direction that may wait in front of the "
              "controller's queues (crossbar and L2 miss buffers); when full, the memory's "
              "socket applies backpressure")
        .def("256")
        .min(0)
        .max(1 << 20);
    s.number("write_high_watermark", &HbmControllerSpec::write_high_watermark,
             "Write-queue fill (fraction) at which the controller starts draining writes")
        .def("0.8")
        .min(0)
        .max(1);
    s.number("write_low_watermark", &HbmControllerSpec::write_low_watermark,
             "Write-queue fill (fraction) at which a drain ends when reads are waiting")
        .def("0.2")
        .min(0)
        .max(1);
    s.choice("page_policy", &HbmControllerSpec::page_policy,
             {{"open", PagePolicy::open}, {"closed", PagePolicy::closed}},
             "open: a row stays open until a request needs another; closed: precharge as soon as "
             "no queued request hits the open row")
        .def("open");
    s.choice("refresh", &HbmControllerSpec::refresh,
             {{"all_bank", RefreshMode::all_bank}, {"per_bank", RefreshMode::per_bank},
              {"none", RefreshMode::none}},
             "all_bank: REFab every tREFI; per_bank: REFpb to one bank every tREFI / banks; none: "
             "no refresh (for experiments only, a real part loses data)")
        .def("all_bank");
    s.integer("row_hit_cap", &HbmControllerSpec::row_hit_cap,
              "Row hits served after an ACT before an older request to another row may close it "
              "(0: no cap)")
        .def("16")
        .min(0)
        .max(1 << 20);
    s.text("address_mapping", &HbmControllerSpec::address_mapping,
           "Address fields, most significant first, from: stack, channel, pseudo_channel, "
           "bank_group, bank, row, column; column may be split (column:2 = two bursts)")
        .def("row bank column bank_group pseudo_channel channel stack column:2");
    s.check([](const HbmControllerSpec& c, const config::Checker& k) {
      if (c.write_low_watermark >= c.write_high_watermark)
        k.fail("write_low_watermark", "must be below write_high_watermark");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
