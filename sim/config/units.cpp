#include "sim/config/units.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace strata::config {
namespace {

/// A conversion factor num/den; sub-units divide by an exact power of ten ("814 mm2" is
/// 814 / 1e6, which is the double nearest 814e-6, where 814 * 1e-6 is not).
struct Scale {
  double num = 1, den = 1;
  double apply(double x) const { return x * num / den; }
  double invert(double v) const { return v * den / num; }
  Scale times(const Scale& o) const { return Scale{num * o.num, den * o.den}; }
};

struct Prefix {
  const char* symbol;
  Scale factor;
};

// Decimal multiples, binary multiples, and sub-multiples; each unit lists which sets it takes.
const std::vector<Prefix> kLarge = {{"k", {1e3, 1}},  {"K", {1e3, 1}},  {"M", {1e6, 1}},
                                    {"G", {1e9, 1}},  {"T", {1e12, 1}}, {"P", {1e15, 1}},
                                    {"E", {1e18, 1}}};
const std::vector<Prefix> kBinary = {{"Ki", {1024.0, 1}},
                                     {"Mi", {1024.0 * 1024, 1}},
                                     {"Gi", {1024.0 * 1024 * 1024, 1}},
                                     {"Ti", {1024.0 * 1024 * 1024 * 1024, 1}},
                                     {"Pi", {1024.0 * 1024 * 1024 * 1024 * 1024, 1}}};
const std::vector<Prefix> kSmall = {{"m", {1, 1e3}}, {"u", {1, 1e6}},  {"\xC2\xB5", {1, 1e6}},
                                    {"n", {1, 1e9}}, {"p", {1, 1e12}}, {"f", {1, 1e15}}};

enum PrefixSet { kNoPrefix = 0, kUseLarge = 1, kUseBinary = 2, kUseSmall = 4 };

struct UnitDef {
  Dim dim;
  const char* symbol;
  Scale factor;  ///< base units per one of this unit
  int prefixes;
};

const std::vector<UnitDef>& units() {
  static const std::vector<UnitDef> table = {
      {Dim::bytes, "B", {1, 1}, kUseLarge | kUseBinary},
      {Dim::bytes, "bit", {1, 8}, kUseLarge | kUseBinary},
      {Dim::bytes, "b", {1, 8}, kUseLarge | kUseBinary},
      {Dim::data_rate, "B/s", {1, 1}, kUseLarge | kUseBinary},
      {Dim::data_rate, "b/s", {1, 8}, kUseLarge},
      {Dim::data_rate, "bit/s", {1, 8}, kUseLarge},
      {Dim::data_rate, "bps", {1, 8}, kUseLarge},
      {Dim::frequency, "Hz", {1, 1}, kUseLarge},
      {Dim::power, "W", {1, 1}, kUseLarge | kUseSmall},
      {Dim::time, "s", {1, 1}, kUseSmall},
      {Dim::time, "min", {60, 1}, kNoPrefix},
      {Dim::time, "h", {3600, 1}, kNoPrefix},
      {Dim::energy, "J", {1, 1}, kUseLarge | kUseSmall},
      {Dim::energy, "Wh", {3600, 1}, kUseLarge},
      {Dim::energy_per_bit, "J/bit", {1, 1}, kUseSmall},
      {Dim::energy_per_bit, "J/b", {1, 1}, kUseSmall},
      {Dim::flops, "FLOP", {1, 1}, kUseLarge},
      {Dim::flop_rate, "FLOP/s", {1, 1}, kUseLarge},
      {Dim::flop_rate, "FLOPS", {1, 1}, kUseLarge},
      {Dim::area, "m2", {1, 1}, kNoPrefix},
      {Dim::area, "m^2", {1, 1}, kNoPrefix},
      {Dim::area, "cm2", {1, 1e4}, kNoPrefix},
      {Dim::area, "cm^2", {1, 1e4}, kNoPrefix},
      {Dim::area, "mm2", {1, 1e6}, kNoPrefix},
      {Dim::area, "mm^2", {1, 1e6}, kNoPrefix},
      {Dim::area, "um2", {1, 1e12}, kNoPrefix},
      {Dim::area, "um^2", {1, 1e12}, kNoPrefix},
      {Dim::length, "m", {1, 1}, kUseSmall},
      {Dim::length, "km", {1e3, 1}, kNoPrefix},
      {Dim::money, "USD", {1, 1}, kUseLarge},
  };
  return table;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Looks `unit` up among the units of `dim`; returns the factor or nullopt.
std::optional<Scale> lookup(const std::string& unit, Dim dim) {
  for (const UnitDef& u : units()) {
    if (u.dim != dim || !ends_with(unit, u.symbol)) continue;
    std::string prefix = unit.substr(0, unit.size() - std::string(u.symbol).size());
    if (prefix.empty()) return u.factor;
    auto try_set = [&](const std::vector<Prefix>& set) -> std::optional<Scale> {
      for (const Prefix& p : set)
        if (prefix == p.symbol) return p.factor.times(u.factor);
      return std::nullopt;
    };
    if (u.prefixes & kUseLarge)
      if (auto f = try_set(kLarge)) return f;
    if (u.prefixes & kUseBinary)
      if (auto f = try_set(kBinary)) return f;
    if (u.prefixes & kUseSmall)
      if (auto f = try_set(kSmall)) return f;
  }
  return std::nullopt;
}

/// Which other dimension, if any, `unit` belongs to (for "you wrote a size where a rate goes").
std::optional<Dim> dim_of_unit(const std::string& unit) {
  for (Dim d : {Dim::bytes, Dim::data_rate, Dim::frequency, Dim::power, Dim::time, Dim::energy,
                Dim::energy_per_bit, Dim::flops, Dim::flop_rate, Dim::area, Dim::length,
                Dim::money})
    if (lookup(unit, d)) return d;
  return std::nullopt;
}

Parsed fail(std::string msg) { return Parsed{std::nullopt, std::move(msg)}; }

/// "a data rate", "an area".
std::string a(Dim d) {
  std::string n = dim_name(d);
  return (std::string("aeiou").find(n[0]) != std::string::npos ? "an " : "a ") + n;
}

/// Round-trip check used by the formatter: the parser applies the same scale to the number.
bool round_trips(const std::string& number, const Scale& factor, double value) {
  return factor.apply(std::strtod(number.c_str(), nullptr)) == value;
}

std::string shortest(double mantissa, const Scale& factor, double value) {
  // Plain decimals read better than exponents ("700", not "7e+02"); exponents only when needed.
  char buf[64];
  for (bool allow_exponent : {false, true})
    for (int p = 1; p <= 17; ++p) {
      std::snprintf(buf, sizeof buf, "%.*g", p, mantissa);
      if (!allow_exponent && std::string(buf).find('e') != std::string::npos) continue;
      if (round_trips(buf, factor, value)) return buf;
    }
  return "";
}

}  // namespace

const char* dim_name(Dim d) {
  switch (d) {
    case Dim::none: return "number";
    case Dim::bytes: return "size";
    case Dim::data_rate: return "data rate";
    case Dim::frequency: return "frequency";
    case Dim::power: return "power";
    case Dim::time: return "time";
    case Dim::energy: return "energy";
    case Dim::energy_per_bit: return "energy per bit";
    case Dim::flops: return "operation count";
    case Dim::flop_rate: return "arithmetic rate";
    case Dim::area: return "area";
    case Dim::length: return "length";
    case Dim::money: return "money";
  }
  return "?";
}

const char* dim_examples(Dim d) {
  switch (d) {
    case Dim::none: return "0.85, 85%";
    case Dim::bytes: return "80 GiB, 50 MB, 16 Gb";
    case Dim::data_rate: return "3.35 TB/s, 400 Gb/s";
    case Dim::frequency: return "1830 MHz, 1.83 GHz";
    case Dim::power: return "700 W, 1.2 kW";
    case Dim::time: return "3.33 us, 15 ns, 2 ms";
    case Dim::energy: return "1.1 pJ, 3 kWh";
    case Dim::energy_per_bit: return "0.297 pJ/bit";
    case Dim::flops: return "250 GFLOP";
    case Dim::flop_rate: return "989 TFLOP/s, 4.5 PFLOPS";
    case Dim::area: return "814 mm2";
    case Dim::length: return "300 mm, 0.2 mm";
    case Dim::money: return "$9346, 30 kUSD";
  }
  return "";
}

Parsed parse_quantity(const std::string& raw, Dim d) {
  std::string text = trim(raw);
  if (text.empty()) return fail("empty value; write " + a(d) + " such as " +
                                dim_examples(d));
  bool dollar = false;
  if (d == Dim::money && text[0] == '$') {
    dollar = true;
    text = trim(text.substr(1));
  }
  const char* begin = text.c_str();
  char* end = nullptr;
  double number = std::strtod(begin, &end);
  if (end == begin || std::isnan(number) || std::isinf(number))
    return fail("'" + raw + "' is not a number with a unit; write " + a(d) + " such as " +
                dim_examples(d));
  std::string unit = trim(std::string(end));
  if (d == Dim::none) {
    if (unit.empty()) return Parsed{number, ""};
    if (unit == "%") return Parsed{number / 100.0, ""};
    return fail("'" + raw + "' must be a plain number or a percentage (such as " +
                dim_examples(d) + ")");
  }
  if (dollar) {
    if (unit.empty()) return Parsed{number, ""};
    for (const Prefix& p : kLarge)
      if (unit == p.symbol) return Parsed{p.factor.apply(number), ""};
    return fail("'" + raw + "' is not an amount of money; write such as " +
                std::string(dim_examples(d)));
  }
  if (unit.empty())
    return fail("'" + raw + "' has no unit; " + a(d) + " needs one, such as " +
                dim_examples(d));
  if (auto f = lookup(unit, d)) return Parsed{f->apply(number), ""};
  if (auto other = dim_of_unit(unit))
    return fail("'" + raw + "' is " + a(*other) + ", but this key takes " + a(d) + " such as " +
                dim_examples(d));
  return fail("'" + raw + "' has an unknown unit '" + unit + "'; " + a(d) +
              " is written such as " + dim_examples(d));
}

std::string format_number(double value) { return shortest(value, Scale{}, value); }

namespace {

/// The base unit a dimension is displayed in, and whether sub-unit prefixes (m, u, n) apply.
struct Display {
  const char* base;
  bool small;
};

Display display_of(Dim d) {
  switch (d) {
    case Dim::bytes: return {"B", false};
    case Dim::data_rate: return {"B/s", false};
    case Dim::frequency: return {"Hz", false};
    case Dim::power: return {"W", true};
    case Dim::time: return {"s", true};
    case Dim::energy: return {"J", true};
    case Dim::energy_per_bit: return {"J/bit", true};
    case Dim::flops: return {"FLOP", false};
    case Dim::flop_rate: return {"FLOP/s", false};
    case Dim::length: return {"m", true};
    default: return {"", false};
  }
}

/// The decimal prefix that puts |value| in [1, 1000) where the dimension allows it.
Prefix prefix_for(double value, const Display& disp) {
  Prefix best{"", Scale{}};
  double mag = std::fabs(value);
  if (mag >= 1000) {
    for (const Prefix& p : kLarge)
      if (p.symbol[0] != 'K' && mag >= p.factor.apply(1)) best = p;
  } else if (mag > 0 && mag < 1 && disp.small) {
    for (const Prefix& p : kSmall)
      if (p.symbol[0] != '\xC2' && mag < p.factor.apply(1000)) best = p;
  }
  return best;
}

}  // namespace

const char* base_unit(Dim d) {
  if (d == Dim::area) return "m2";
  if (d == Dim::money) return "USD";
  return display_of(d).base;
}

std::string format_quantity(double value, Dim d) {
  if (d == Dim::none) return format_number(value);
  if (d == Dim::money) return "$" + format_number(value);
  if (d == Dim::area) {
    Scale mm2{1, 1e6};
    std::string n = shortest(mm2.invert(value), mm2, value);
    return n.empty() ? format_number(value) + " m2" : n + " mm2";
  }
  Display disp = display_of(d);
  // Exact binary multiples of bytes read best as KiB/MiB/GiB.
  if (d == Dim::bytes && value >= 1024) {
    for (auto it = kBinary.rbegin(); it != kBinary.rend(); ++it) {
      double m = it->factor.invert(value);
      if (m >= 1 && m == std::floor(m) && m < 1024 * 1024) {
        std::string n = shortest(m, it->factor, value);
        if (!n.empty()) return n + " " + it->symbol + disp.base;
      }
    }
  }
  Prefix p = prefix_for(value, disp);
  std::string n = shortest(p.factor.invert(value), p.factor, value);
  if (n.empty()) return format_number(value) + " " + disp.base;
  return n + " " + p.symbol + disp.base;
}

std::string format_display(double value, Dim d, int digits) {
  char buf[64];
  if (d == Dim::none || d == Dim::money) {
    // Large plain numbers read best with an engineering exponent: 671e9, not 6.71e+11.
    int exp3 = std::fabs(value) >= 1e4 ? int(std::floor(std::log10(std::fabs(value)) / 3)) * 3 : 0;
    if (exp3)
      std::snprintf(buf, sizeof buf, "%s%.*ge%d", d == Dim::money ? "$" : "", digits,
                    value / std::pow(10.0, exp3), exp3);
    else
      std::snprintf(buf, sizeof buf, "%s%.*g", d == Dim::money ? "$" : "", digits, value);
    return buf;
  }
  if (d == Dim::area) {
    std::snprintf(buf, sizeof buf, "%.*g mm2", digits, value * 1e6);
    return buf;
  }
  Display disp = display_of(d);
  Prefix p = prefix_for(value, disp);
  std::snprintf(buf, sizeof buf, "%.*g %s%s", digits, p.factor.invert(value), p.symbol, disp.base);
  return buf;
}

}  // namespace strata::config
