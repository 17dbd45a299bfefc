// Physical quantities in configs: "3.35 TB/s", "1830 MHz", "700 W", "80 GiB", "4.5 PFLOP/s".
// Every value is stored in SI base units (bytes, bytes/s, Hz, W, s, J, FLOP, FLOP/s, m^2);
// the dimension a key takes is declared once in its schema.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata::config {

enum class Dim {
  none,            ///< plain number (also accepts "85%")
  bytes,           ///< B, kB..PB, KiB..PiB; bits (b, Gb) are divided by 8
  data_rate,       ///< B/s or b/s (also bps), stored as bytes/s
  frequency,       ///< Hz
  power,           ///< W
  time,            ///< s
  energy,          ///< J
  energy_per_bit,  ///< J/bit (written pJ/bit)
  flops,           ///< FLOP
  flop_rate,       ///< FLOP/s (also FLOPS)
  area,            ///< m^2 (written mm2 or mm^2)
  length,          ///< m
  money,           ///< US dollars ("$9346", "9346 USD", "$1.2M")
};

/// Human name of a dimension, e.g. "data rate".
const char* dim_name(Dim d);
/// The SI base unit values of `d` are stored in ("B/s", "Hz", "m2", "" for plain numbers).
const char* base_unit(Dim d);
/// Examples of accepted spellings, e.g. "3.35 TB/s, 400 Gb/s".
const char* dim_examples(Dim d);

/// The outcome of parsing one quantity: a value in base units, or a reason it was refused.
struct Parsed {
  std::optional<double> value;
  std::string error;  ///< set when value is empty; says what was wrong and how to write it
};

/// Parses `text` as a quantity of dimension `d`. Never throws.
Parsed parse_quantity(const std::string& text, Dim d);

/// Shortest text that parses back to exactly `value`, with an engineering prefix
/// ("1.83 GHz", "3.35 TB/s", "80 GiB" when an exact binary multiple of bytes).
std::string format_quantity(double value, Dim d);

/// `digits` significant digits with an engineering prefix, for tables ("989.4 TFLOP/s").
std::string format_display(double value, Dim d, int digits = 4);

/// Shortest decimal text that round-trips `value` exactly ("0.1", "1e-09").
std::string format_number(double value);

}  // namespace strata::config
